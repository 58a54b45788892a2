// Filled in by the DB harness; kept so unit tests can run before it exists.
export default async function setup() {}
