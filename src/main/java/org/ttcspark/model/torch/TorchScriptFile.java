package org.ttcspark.model.torch;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes a BigDL encoder or classifier as a TorchScript archive, which {@code torch.jit.load}
 * (PyTorch 1.13 and later, libtorch, DJL) reads without the Python class that made it: the zip
 * of {@code torch.jit.save} with {@code code/__torch__/ttcspark.py} (the class's TorchScript
 * source, {@link TorchScriptModule}), {@code data.pkl} (the module object: its attributes, the
 * tensors on storages under {@code data/}), an empty {@code constants.pkl} and
 * {@code version} 3 (the file format PyTorch 1.13 writes and every later release reads).
 * Written here so that no Python is needed to export.
 */
public final class TorchScriptFile {
  private TorchScriptFile() {}

  /**
   * Writes {@code model} to {@code out} (which it finishes, not closes); the module is in eval
   * mode.
   *
   * @return the number of tensors written
   * @throws IllegalArgumentException for a layer TorchScript export does not take
   */
  public static int write(AbstractModule<Activity, Activity, Object> model, OutputStream out)
      throws IOException {
    TorchScriptModule m = TorchScriptModule.of(model);
    TorchArchive zip = new TorchArchive(out);
    Pickle p = new Pickle();
    p.global(TorchScriptModule.QUALIFIER, TorchScriptModule.CLASS).op(')').op(0x81);
    p.op('}').op('(');
    int key = 0;
    for (Map.Entry<String, TorchScriptModule.Attribute> e : m.attributes().entrySet()) {
      p.unicode(e.getKey());
      p.tensor(Integer.toString(key), e.getValue().value(), e.getValue().parameter());
      zip.storage(Integer.toString(key), e.getValue().value());
      key++;
    }
    p.unicode("training").bool(false);
    p.op('u').op('b');
    zip.add("data.pkl", p.end());
    zip.add("code/" + TorchScriptModule.QUALIFIER.replace('.', '/') + ".py",
        m.source().getBytes(StandardCharsets.UTF_8));
    zip.add("constants.pkl", new Pickle().op(')').end());
    zip.add("version", "3\n".getBytes(StandardCharsets.US_ASCII));
    zip.finish();
    return key;
  }
}
