/** Peak RSS of this process noted at event counts on the way (does the memory stay flat as events pile up?). */
export class RssMarks {
  private peak = process.memoryUsage.rss();
  private readonly timer: NodeJS.Timeout;
  private readonly noted: { events: number; peakMb: number }[] = [];
  private next = 0;

  constructor(private readonly marks: number[]) {
    this.timer = setInterval(() => this.sample(), 50);
    this.timer.unref();
  }

  private sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }

  /** Tell it how many events are done; notes the peak so far at each mark passed. */
  progress(events: number): void {
    this.sample();
    while (this.next < this.marks.length && events >= this.marks[this.next]!) {
      this.noted.push({ events: this.marks[this.next]!, peakMb: this.peak / 1048576 });
      this.next++;
    }
  }

  finish(events: number): { events: number; peakMb: number }[] {
    this.progress(events);
    clearInterval(this.timer);
    return [...this.noted, { events, peakMb: this.peak / 1048576 }];
  }
}
