export { xyzFormat, sniffXyz } from './xyz-format.js';
export { openXyz, scanXyzIndex, readXyzTopology, XyzFrameSource, XYZ_LABEL, type XyzOpenOptions } from './xyz-reader.js';
export { createXyzWriter } from './xyz-writer.js';
export { parseXyzComment, parseXyzProperties, tokenizeExtxyzComment, PLAIN_XYZ_COLUMNS, type XyzColumns, type XyzCommentInfo } from './extxyz-comment.js';
