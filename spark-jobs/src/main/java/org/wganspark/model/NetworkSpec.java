package org.wganspark.model;

/**
 * The two networks of a GAN, as the config's train section describes them.
 *
 * @param generator     fc | dcgan | pixels
 * @param critic        fc | cnn | dcgan
 * @param criticKernel  the CNN critic's kernel side
 * @param criticPadding the CNN critic's padding (0 to kernel - 1)
 * @param criticGap     the CNN critic's head: global average pooling (a patch critic) or a flatten
 * @param init          torch | xavier: how the weights are drawn
 */
public record NetworkSpec(String generator, int generatorNf, int generatorDepth, double lrGenerator, String critic, int criticNf, int criticDepth,
                          int criticKernel, int criticPadding, boolean criticGap, double lrCritic, String init) {
}
