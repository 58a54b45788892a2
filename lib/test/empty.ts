// Stand-in for "server-only" outside Next's react-server environment (tests).
export {};
