package org.wganspark.train.step.cpu;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;

/**
 * The sizes of one convolution applied to one image, and where each output position reads its input: the geometry
 * that the hand-written convolutions ({@link ConvCriticStep}, {@link GemmConvolution}) share. Output sizes follow
 * DL4J's Truncate and Strict modes: out = (in + 2 pad - kernel) / stride + 1.
 */
record ConvGeometry(int channels, int height, int width, int outChannels, int kh, int kw, int sy, int sx, int py, int px, int outHeight,
                    int outWidth) {

    /** The geometry of a convolution with these sizes, or null when it has no output position. */
    static ConvGeometry of(int channels, int height, int width, int outChannels, int[] kernel, int[] stride, int[] padding) {
        int outHeight = (height + 2 * padding[0] - kernel[0]) / stride[0] + 1;
        int outWidth = (width + 2 * padding[1] - kernel[1]) / stride[1] + 1;
        if (outHeight < 1 || outWidth < 1) {
            return null;
        }
        return new ConvGeometry(channels, height, width, outChannels, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1],
                outHeight, outWidth);
    }

    /** True for the layers the hand-written paths compute: NCHW (or unspecified), Truncate or Strict, no dilation. */
    static boolean supported(ConvolutionMode mode, int[] dilation, CNN2DFormat format) {
        return (format == null || format == CNN2DFormat.NCHW) && (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict)
                && (dilation == null || (dilation[0] == 1 && dilation[1] == 1));
    }

    /** Entries of one kernel: channels times kernel taps. */
    int taps() {
        return channels * kh * kw;
    }

    /** Kernel taps (ky, kx) per channel. */
    int kernelArea() {
        return kh * kw;
    }

    /** Output positions per image. */
    int positions() {
        return outHeight * outWidth;
    }

    /** Floats of one image's input map. */
    int imageFloats() {
        return channels * height * width;
    }

    /** Floats of one image's output map. */
    int outputFloats() {
        return outChannels * positions();
    }

    /** The same convolution on an input whose zero padding is stored: the padded sizes, no padding left to add. */
    ConvGeometry withPaddingStored() {
        return new ConvGeometry(channels, height + 2 * py, width + 2 * px, outChannels, kh, kw, sy, sx, 0, 0, outHeight, outWidth);
    }

    /**
     * Per output position p and kernel tap t = ky kw + kx, at [p kernelArea + t]: where the input pixel (y, x) =
     * (oy sy + ky - py, ox sx + kx - px) starts in a map whose pixels lie {@code pixelStride} floats apart, row by
     * row; -1 where it falls in the zero padding.
     */
    int[] tapOffsets(int pixelStride) {
        int area = kernelArea();
        int[] offsets = new int[positions() * area];
        for (int oy = 0, p = 0; oy < outHeight; oy++) {
            for (int ox = 0; ox < outWidth; ox++, p++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        int y = oy * sy + ky - py;
                        int x = ox * sx + kx - px;
                        boolean inside = y >= 0 && y < height && x >= 0 && x < width;
                        offsets[p * area + ky * kw + kx] = inside ? (y * width + x) * pixelStride : -1;
                    }
                }
            }
        }
        return offsets;
    }
}
