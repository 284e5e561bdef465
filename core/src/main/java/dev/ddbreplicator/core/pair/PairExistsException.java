package dev.ddbreplicator.core.pair;

/** A pair with that id is registered already: choose another id or remove the old pair first. */
public final class PairExistsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PairExistsException(String id) {
        super("a pair with id " + id + " is registered already");
    }
}
