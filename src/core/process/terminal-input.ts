import { PassThrough } from 'node:stream';

/**
 * Keystrokes from a terminal that has no line discipline of its own (an editor's Pseudoterminal
 * hands over raw input) turned into what a program reads from a terminal in canonical mode: a
 * line is sent when Enter is pressed, Backspace and Ctrl-U edit it, Ctrl-D sends the line typed so
 * far or, on an empty line, ends the input (the program reads EOF), and Ctrl-C interrupts. What is
 * typed is echoed back, as a terminal would.
 */
export class TerminalInput {
  /** What the program reads: pass it as its stdin. */
  readonly stream = new PassThrough();
  private line = '';
  private ended = false;

  constructor(
    /** Text to show in the terminal (the echo). */
    private readonly echo: (text: string) => void,
    /** Ctrl-C: the run should be interrupted. */
    private readonly interrupt: () => void = () => undefined,
  ) {}

  /** Feeds raw input (one key, or pasted text). */
  write(data: string): void {
    // escape sequences (arrow keys, function keys) move nothing here: dropped
    // eslint-disable-next-line no-control-regex -- ESC is what these sequences start with
    const keys = data.replace(/\x1b(\[[0-9;?]*[ -/]*[@-~]|O.|.)?/g, '');
    for (const key of keys) {
      if (this.ended) return;
      this.key(key);
    }
  }

  /** No more input will come (the run ended or the terminal closed). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stream.end();
  }

  private key(key: string): void {
    switch (key) {
      case '\r':
      case '\n':
        this.echo('\r\n');
        this.send(`${this.line}\n`);
        return;
      case '\x7f':
      case '\b':
        if (this.line) {
          this.line = [...this.line].slice(0, -1).join('');
          this.echo('\b \b');
        }
        return;
      case '\x15': // Ctrl-U: erase the line
        this.echo('\b \b'.repeat([...this.line].length));
        this.line = '';
        return;
      case '\x04': // Ctrl-D: send what was typed, or end the input on an empty line
        if (this.line) this.send(this.line);
        else this.end();
        return;
      case '\x03': // Ctrl-C
        this.echo('^C\r\n');
        this.line = '';
        this.interrupt();
        return;
      default:
        if (key < ' ' && key !== '\t') return; // other control characters do nothing in canonical mode
        this.line += key;
        this.echo(key);
    }
  }

  private send(text: string): void {
    this.line = '';
    this.stream.write(text);
  }
}
