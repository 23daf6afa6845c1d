/** Terraform's confirmation: only `yes` proceeds; without a terminal nothing is asked. */
import { createInterface } from 'node:readline/promises';

export async function confirm(question: string, stack: string): Promise<'yes' | 'no' | 'no-tty'> {
  if (!process.stdin.isTTY) return 'no-tty';
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`\n${question} (stack ${stack})\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `);
    return answer.trim() === 'yes' ? 'yes' : 'no';
  } finally {
    rl.close();
  }
}
