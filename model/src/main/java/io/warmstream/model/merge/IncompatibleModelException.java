package io.warmstream.model.merge;

/**
 * A model that must not be merged with the others: different lineage, tensor names, shapes or dtypes, or
 * non-finite values. The message names the first offending tensor (or the lineage) and the files involved.
 */
public class IncompatibleModelException extends RuntimeException {

    public IncompatibleModelException(String message) {
        super(message);
    }
}
