package org.jxenbus.xenstore.api;

/** What a permission entry grants, by its letter on the wire (PROTOCOL-NOTES §1.5, xenstore.txt). */
public enum Access {
    /** {@code n}: no access. */
    NONE('n'),
    /** {@code r}: read. */
    READ('r'),
    /** {@code w}: write. */
    WRITE('w'),
    /** {@code b}: read and write. */
    BOTH('b');

    private final char letter;

    Access(char letter) {
        this.letter = letter;
    }

    /** The wire letter. */
    public char letter() {
        return letter;
    }

    /**
     * The access for a wire letter.
     *
     * @throws IllegalArgumentException for any other letter
     */
    public static Access ofLetter(char letter) {
        for (Access a : values()) {
            if (a.letter == letter) {
                return a;
            }
        }
        throw new IllegalArgumentException("not a permission letter: '" + letter + "' (expected n, r, w or b)");
    }
}
