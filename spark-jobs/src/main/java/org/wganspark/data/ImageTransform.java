package org.wganspark.data;

import java.awt.image.BufferedImage;
import java.io.Serializable;

/**
 * The paper's image pipeline: center crop, then grayscale by luminance (ITU-R 601-2, as PIL's "L"),
 * then an antialiased resize, then [0, 255] to [-1, 1]. All in float, deterministic.
 *
 * @param crop      side of the centered square crop, 0 for none
 * @param size      output side after resize, 0 to keep the (cropped) size
 * @param grayscale one channel (luminance) instead of three (RGB; alpha dropped)
 */
public record ImageTransform(int crop, int size, boolean grayscale) implements Serializable {

    public ImageTransform {
        if (crop < 0 || size < 0) {
            throw new IllegalArgumentException("crop and size must be >= 0, found " + crop + ", " + size);
        }
    }

    public int channels() {
        return grayscale ? 1 : 3;
    }

    /** The output shape for an input of width x height, or null if the crop does not fit. */
    public ImageShape outputShape(int width, int height) {
        int w = width;
        int h = height;
        if (crop > 0) {
            if (crop > width || crop > height) {
                return null;
            }
            w = crop;
            h = crop;
        }
        if (size > 0) {
            w = size;
            h = size;
        }
        return new ImageShape(channels(), h, w);
    }

    /** Applies the pipeline; {@code out} receives channels * side * side values at {@code offset}. */
    public void apply(BufferedImage image, float[] out, int offset) {
        int width = image.getWidth();
        int height = image.getHeight();
        int left = 0;
        int top = 0;
        int w = width;
        int h = height;
        if (crop > 0) {
            // torchvision CenterCrop: round half the margin
            left = (int) Math.round((width - crop) / 2.0);
            top = (int) Math.round((height - crop) / 2.0);
            w = crop;
            h = crop;
        }
        int c = channels();
        float[] planes = new float[c * w * h];
        int[] argb = image.getRGB(left, top, w, h, null, 0, w);
        for (int i = 0; i < w * h; i++) {
            int p = argb[i];
            float r = (p >> 16) & 0xff;
            float g = (p >> 8) & 0xff;
            float b = p & 0xff;
            if (grayscale) {
                planes[i] = 0.299f * r + 0.587f * g + 0.114f * b;
            } else {
                planes[i] = r;
                planes[w * h + i] = g;
                planes[2 * w * h + i] = b;
            }
        }
        int outW = size > 0 ? size : w;
        int outH = size > 0 ? size : h;
        for (int ch = 0; ch < c; ch++) {
            float[] plane = new float[w * h];
            System.arraycopy(planes, ch * w * h, plane, 0, w * h);
            float[] resized = (outW == w && outH == h) ? plane : resize(plane, w, h, outW, outH);
            int base = offset + ch * outW * outH;
            for (int i = 0; i < outW * outH; i++) {
                out[base + i] = resized[i] * (2f / 255f) - 1f;
            }
        }
    }

    /** Separable triangle-filter resize; the filter widens by the scale factor when shrinking (antialias). */
    static float[] resize(float[] src, int w, int h, int outW, int outH) {
        float[] horizontal = new float[outW * h];
        resample(src, w, h, outW, true, horizontal);
        float[] out = new float[outW * outH];
        resample(horizontal, outW, h, outH, false, out);
        return out;
    }

    private static void resample(float[] src, int w, int h, int outLength, boolean alongX, float[] out) {
        int inLength = alongX ? w : h;
        double scale = (double) inLength / outLength;
        double support = Math.max(1.0, scale);
        for (int o = 0; o < outLength; o++) {
            double center = (o + 0.5) * scale;
            int from = Math.max(0, (int) Math.floor(center - support));
            int to = Math.min(inLength, (int) Math.ceil(center + support));
            double total = 0;
            double[] weights = new double[to - from];
            for (int i = from; i < to; i++) {
                double t = Math.abs((i + 0.5 - center) / support);
                double wgt = t < 1 ? 1 - t : 0;
                weights[i - from] = wgt;
                total += wgt;
            }
            int lines = alongX ? h : w;
            for (int line = 0; line < lines; line++) {
                double acc = 0;
                for (int i = from; i < to; i++) {
                    float v = alongX ? src[line * w + i] : src[i * w + line];
                    acc += weights[i - from] * v;
                }
                float value = (float) (acc / total);
                if (alongX) {
                    out[line * outLength + o] = value;
                } else {
                    out[o * w + line] = value;
                }
            }
        }
    }
}
