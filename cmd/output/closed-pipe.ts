/**
 * `dbstack show | head`: when the reader of stdout (or stderr) goes away, writes fail with
 * EPIPE. Like other Unix tools dbstack then stops writing quietly — no "Unhandled 'error'
 * event" trace. The command itself runs to its end (an apply piped into `head` must not stop
 * halfway through changing the cloud); its output is dropped, its exit code kept.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stream.write = (() => true) as typeof stream.write;
  });
}
