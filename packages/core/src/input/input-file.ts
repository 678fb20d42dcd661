/**
 * An input as kops-iam reads it: the name messages show and its whole text. The command
 * line reads each file once, and this text is all that is checked and planned, so what
 * is validated is exactly what is written.
 */
export interface InputFile {
  readonly name: string;
  readonly text: string;
  /**
   * For a part of a file (cut at a document marker, to read a large input on several
   * threads): the file line its text starts on. Parts are not checked for holding a document.
   */
  readonly firstLine?: number;
}
