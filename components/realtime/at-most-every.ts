/**
 * Runs `fn` at once on the first call, then at most once per `ms` however often it is asked
 * (calls in between are gathered into the next run). For refetches driven by busy channels.
 */
export function atMostEvery(ms: number, fn: () => void) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = 0;
  return {
    request() {
      timer ??= setTimeout(() => {
        timer = null;
        last = Date.now();
        fn();
      }, Math.max(0, last + ms - Date.now()));
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
