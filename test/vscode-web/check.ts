// The few assertions the web suites need: Node's assert module is not in a Web Worker, and these are small enough
// not to bring a browser port of it. Plain data is compared through JSON, which is all the suites compare.
export function ok(value: unknown, message = 'expected a true value'): asserts value {
  if (!value) throw new Error(message);
}

export function equal<T>(actual: T, expected: T, message?: string): void {
  if (actual !== expected) throw new Error(`${message ? `${message}: ` : ''}${JSON.stringify(actual)} !== ${JSON.stringify(expected)}`);
}

export function deepEqual<T>(actual: T, expected: T, message?: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message ? `${message}: ` : ''}\n  got      ${a}\n  expected ${e}`);
}
