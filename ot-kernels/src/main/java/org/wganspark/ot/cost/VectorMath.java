package org.wganspark.ot.cost;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector reductions and exp with bit-for-bit reproducible results. The Vector API's reduceLanes(ADD) may sum
 * in any order and its EXP is an intrinsic in compiled code but Math.exp per lane in the interpreter, so a
 * value could change with the JIT's state, and Spark tasks could disagree with the driver in the last bit.
 * Here: lanes summed left to right, and exp from add, multiply and fma only (exact in both modes).
 */
public final class VectorMath {

    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2_HI = 0.6931471803691238;
    private static final double LN2_LO = 1.9082149292705877e-10;
    /** 1.5 * 2^52: adding it rounds to an integer kept in the low mantissa bits. */
    private static final double ROUND = 6755399441055744.0;

    private VectorMath() {
    }

    public static double sum(DoubleVector v) {
        double s = 0;
        for (int k = 0; k < v.length(); k++) {
            s += v.lane(k);
        }
        return s;
    }

    public static float sum(FloatVector v) {
        float s = 0;
        for (int k = 0; k < v.length(); k++) {
            s += v.lane(k);
        }
        return s;
    }

    /**
     * e^x to ~1e-14 relative: x = n ln 2 + r with |r| <= ln 2 / 2 (Cody-Waite), a degree-11 Taylor polynomial for
     * e^r, and 2^n added to the exponent bits. Arguments are clamped to [-708, 709]: e^-708 ~ 3e-308 stands for 0.
     */
    public static DoubleVector exp(DoubleVector x) {
        DoubleVector c = x.max(-708.0).min(709.0);
        DoubleVector t = c.fma(DoubleVector.broadcast(c.species(), LOG2E), DoubleVector.broadcast(c.species(), ROUND));
        DoubleVector n = t.sub(ROUND);
        DoubleVector r = n.fma(DoubleVector.broadcast(c.species(), -LN2_HI), c);
        r = n.fma(DoubleVector.broadcast(c.species(), -LN2_LO), r);
        DoubleVector p = DoubleVector.broadcast(c.species(), 1.0 / 39916800);
        double[] coefficients = COEFFICIENTS;
        for (double k : coefficients) {
            p = p.fma(r, DoubleVector.broadcast(c.species(), k));
        }
        LongVector scale = t.reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52);
        return p.reinterpretAsLongs().add(scale).reinterpretAsDoubles();
    }

    private static final double[] COEFFICIENTS = {1.0 / 3628800, 1.0 / 362880, 1.0 / 40320, 1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24,
        1.0 / 6, 0.5, 1.0, 1.0};
}
