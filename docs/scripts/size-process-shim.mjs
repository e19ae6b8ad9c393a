// Injected by size.mjs into the simple-peer bundle: provides the `process` global that its
// dependencies read, as webpack's ProvidePlugin({ process: 'process/browser' }) does.
import process from 'process';

export { process };
