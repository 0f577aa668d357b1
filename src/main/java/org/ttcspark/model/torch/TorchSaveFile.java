package org.ttcspark.model.torch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes a state dict in {@code torch.save}'s file format, which {@code torch.load} reads
 * (also with {@code weights_only=True}): a zip archive of {@code archive/data.pkl} (a pickle,
 * protocol 2, of an {@code OrderedDict} whose tensors refer to storages by key),
 * {@code archive/data/<key>} (each storage's little-endian bytes), {@code archive/byteorder}
 * and {@code archive/version}. Written here so that no Python is needed to export.
 */
public final class TorchSaveFile {
  private TorchSaveFile() {}

  /** Writes {@code dict} to {@code out} (which it finishes, not closes). */
  public static void write(Map<String, StateDict.Entry> dict, OutputStream out)
      throws IOException {
    TorchArchive zip = new TorchArchive(out);
    Pickle p = new Pickle();
    p.global("collections", "OrderedDict").op(')').op('R');
    p.op('(');
    int key = 0;
    for (Map.Entry<String, StateDict.Entry> e : dict.entrySet()) {
      p.unicode(e.getKey());
      p.tensor(Integer.toString(key), e.getValue(), false);
      zip.storage(Integer.toString(key), e.getValue());
      key++;
    }
    p.op('u');
    zip.add("data.pkl", p.end());
    zip.add("byteorder", "little".getBytes(StandardCharsets.US_ASCII));
    zip.add("version", "3\n".getBytes(StandardCharsets.US_ASCII));
    zip.finish();
  }
}
