// Injected into the bench bundle for simple-peer: the `process` global its dependencies
// (readable-stream) read, as webpack's ProvidePlugin({ process: 'process/browser' }) provides it.
import process from 'process';

export { process };
