/**
 * An input as kops-iam reads it: the name messages show and its whole text. The command
 * line reads each file once, and this text is all that is checked and planned, so what
 * is validated is exactly what is written.
 */
export interface InputFile {
  readonly name: string;
  readonly text: string;
}
