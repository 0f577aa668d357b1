package org.ttcspark.model.bigdl;

import static org.ttcspark.model.bigdl.Layers.add;
import static org.ttcspark.model.bigdl.Layers.batchNorm;
import static org.ttcspark.model.bigdl.Layers.conv;
import static org.ttcspark.model.bigdl.Layers.relu;

import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import org.ttcspark.model.Backbone;
import org.ttcspark.model.Stem;

/**
 * Builds ResNet backbones from BigDL layers the way BigDL's own {@code models.resnet.ResNet}
 * does (basic and bottleneck blocks, shortcut type B: 1×1 convolution + BatchNorm when the shape
 * changes, identity otherwise), with a choice of stem that BigDL's builder does not offer (its
 * CIFAR variant is the narrow 6n+2 family, not ResNet-18/50). The output is the pooled feature
 * {@code [batch, featureDim]}. Every layer has a unique name so that MKL-DNN weights can be
 * copied back by name ({@link DnnWeights}).
 */
public final class ResNetBuilder {
  private final Backbone backbone;
  private final Stem stem;
  private final int width;
  private final int imageSize;
  private int channels;
  private int side;

  private ResNetBuilder(Backbone backbone, Stem stem, int width, int inChannels, int imageSize) {
    this.backbone = backbone;
    this.stem = stem;
    this.width = width;
    this.channels = inChannels;
    this.imageSize = imageSize;
  }

  /**
   * The backbone: input {@code [batch, inChannels, imageSize, imageSize]}, output
   * {@code [batch, backbone.featureDim(width)]}.
   */
  public static Sequential<Object> build(Backbone backbone, Stem stem, int width, int inChannels,
      int imageSize) {
    return new ResNetBuilder(backbone, stem, width, inChannels, imageSize).backbone();
  }

  private Sequential<Object> backbone() {
    Sequential<Object> net = Layers.sequential("backbone");
    if (stem == Stem.IMAGENET) {
      add(net, conv("stem.conv", channels, width, 7, 2, 3));
    } else {
      add(net, conv("stem.conv", channels, width, 3, 1, 1));
    }
    add(net, batchNorm("stem.bn", width));
    add(net, relu("stem.relu"));
    if (stem == Stem.IMAGENET) {
      add(net, Layers.maxPool("stem.pool"));
    }
    side = stem.outputSize(imageSize);
    channels = width;
    int[] blocks = backbone.blocks();
    for (int stage = 0; stage < blocks.length; stage++) {
      int planes = width << stage;
      for (int b = 0; b < blocks[stage]; b++) {
        int stride = stage > 0 && b == 0 ? 2 : 1;
        String name = "layer" + (stage + 1) + "." + b;
        add(net, backbone.bottleneck() ? bottleneck(name, planes, stride)
            : basic(name, planes, stride));
        if (stride == 2) {
          side = Stem.halve(side);
        }
      }
    }
    add(net, Layers.globalAvgPool("pool", side));
    add(net, Layers.flatten("flatten", channels));
    return net;
  }

  private Sequential<Object> basic(String name, int planes, int stride) {
    Sequential<Object> main = Layers.sequential(name + ".main");
    add(main, conv(name + ".conv1", channels, planes, 3, stride, 1));
    add(main, batchNorm(name + ".bn1", planes));
    add(main, relu(name + ".relu1"));
    add(main, conv(name + ".conv2", planes, planes, 3, 1, 1));
    add(main, batchNorm(name + ".bn2", planes));
    return unit(name, main, planes, stride);
  }

  private Sequential<Object> bottleneck(String name, int planes, int stride) {
    Sequential<Object> main = Layers.sequential(name + ".main");
    add(main, conv(name + ".conv1", channels, planes, 1, 1, 0));
    add(main, batchNorm(name + ".bn1", planes));
    add(main, relu(name + ".relu1"));
    add(main, conv(name + ".conv2", planes, planes, 3, stride, 1));
    add(main, batchNorm(name + ".bn2", planes));
    add(main, relu(name + ".relu2"));
    add(main, conv(name + ".conv3", planes, planes * 4, 1, 1, 0));
    add(main, batchNorm(name + ".bn3", planes * 4));
    return unit(name, main, planes * 4, stride);
  }

  private Sequential<Object> unit(String name, Sequential<Object> main, int out, int stride) {
    AbstractModule<Activity, Activity, Object> shortcut;
    if (channels != out || stride != 1) {
      Sequential<Object> s = Layers.sequential(name + ".shortcut");
      add(s, conv(name + ".shortcut.conv", channels, out, 1, stride, 0));
      add(s, batchNorm(name + ".shortcut.bn", out));
      shortcut = Layers.any(s);
    } else {
      shortcut = Layers.identity(name + ".shortcut");
    }
    channels = out;
    return Layers.residual(name, Layers.any(main), shortcut);
  }
}
