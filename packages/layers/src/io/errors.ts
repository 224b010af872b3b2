import { ScratchNetError } from '@scratchnet/core';

/**
 * What is wrong with a file, as a stable code for programs (the message says it for people).
 *
 * - `empty`: the file has no bytes.
 * - `truncated`: the file ends inside the length prefix, the header or the data.
 * - `bad-header`: the header is not valid UTF-8 / JSON or does not describe tensors properly.
 * - `bad-layout`: tensor byte ranges overlap, leave gaps, or do not fit their dtype and shape.
 * - `trailing-bytes`: bytes after the last tensor that no header entry accounts for.
 * - `bad-magic`: an IDX file whose first bytes are not an IDX magic number.
 * - `unknown-type`: an IDX type code or safetensors dtype this reader does not know.
 * - `corrupt-gzip`: gzip data that does not inflate.
 * - `not-a-model`: a valid safetensors file without ScratchNet's model metadata.
 * - `unsupported-version`: a ScratchNet model written by a format version this code cannot read.
 * - `checksum-mismatch`: the stored checksum does not match the content.
 * - `unknown-class`: the architecture names a module class nobody registered.
 * - `architecture-mismatch`: the weights do not fit the architecture (names or shapes).
 * - `unsupported-dtype`: a tensor dtype ScratchNet cannot hold.
 * - `not-found`: the file or stored entry does not exist.
 * - `io`: reading or writing failed for another reason (permissions, disk full...).
 */
export type FileErrorCode =
  | 'empty'
  | 'truncated'
  | 'bad-header'
  | 'bad-layout'
  | 'trailing-bytes'
  | 'bad-magic'
  | 'unknown-type'
  | 'corrupt-gzip'
  | 'not-a-model'
  | 'unsupported-version'
  | 'checksum-mismatch'
  | 'unknown-class'
  | 'architecture-mismatch'
  | 'unsupported-dtype'
  | 'not-found'
  | 'io';

/**
 * A file (or byte buffer) that cannot be read as what it claims to be, or a failed read/write.
 * The message starts with the file's name and says what is wrong; {@link FileFormatError.code}
 * says the same for programs, and {@link FileFormatError.source} names the file.
 */
export class FileFormatError extends ScratchNetError {
  override name = 'FileFormatError';

  /**
   * @param source - the file path, URL or a description such as `'model bytes'`.
   * @param code - what is wrong, see {@link FileErrorCode}.
   * @param detail - the explanation that follows `source: ` in the message.
   * @param options - `cause`: the underlying error, when there is one.
   */
  constructor(
    /** The file path, URL or description of the bytes that were read. */
    readonly source: string,
    /** What is wrong, for programs. */
    readonly code: FileErrorCode,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${detail}`, options);
  }
}
