package org.wganspark.ot.entropic;

/** S_eps(a, b) = OT_eps(a, b) - (OT_eps(a, a) + OT_eps(b, b)) / 2, with the three solves it came from. */
public record SinkhornDivergence(double value, SinkhornResult xy, SinkhornResult xx, SinkhornResult yy) {
}
