/** A token bucket: bursts up to one second's allowance, then a steady `perSecond`. */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(private readonly perSecond: number, now = Date.now()) {
    this.tokens = perSecond;
    this.refilledAt = now;
  }

  take(now = Date.now()): boolean {
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.perSecond, this.tokens + (elapsed / 1000) * this.perSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
