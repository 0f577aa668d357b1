package org.ttcspark.cli;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.model.torch.StateDict;
import org.ttcspark.model.torch.TorchSaveFile;
import org.ttcspark.model.torch.TorchScriptFile;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.bigdl.FinetunedClassifier;

/**
 * {@code ttc export}: a checkpoint (of either engine: they share the format) to a file a
 * PyTorch user loads, so a trained encoder, or a fine-tuned classifier with its backbone
 * ({@link FinetunedClassifier}), can be reused outside ttc-spark.
 */
final class ExportCommand implements Command {
  @Override
  public String name() {
    return "export";
  }

  @Override
  public String summary() {
    return "write a trained encoder or fine-tuned classifier for PyTorch: a state dict "
        + "(torchvision ResNet + head) or a TorchScript module (torch.jit.load)";
  }

  @Override
  public List<Flag> flags() {
    return List.of(
        Flag.value("format", "FORMAT", "state-dict (default: torch.load, then "
            + "load_state_dict into torchvision's ResNet + the head) or torchscript "
            + "(torch.jit.load; forward = the model's output, features = the backbone's)"),
        Flag.value("out", "FILE", "where to write (default <run>/export/encoder.pt, "
            + "torchscript: <run>/export/encoder-torchscript.pt; a fine-tuned classifier: "
            + "<run>/export/<finetune folder>-classifier.pt / -classifier-torchscript.pt)"),
        Flag.value("checkpoint", "PATH", "model.bigdl or checkpoint folder (default: the run's "
            + "newest checkpoint); a finetune checkpoint exports the fine-tuned classifier"),
        Flag.value("finetune", "FOLDER", "export the fine-tuned classifier of the run's "
            + "finetune folder FOLDER (e.g. finetune): its newest checkpoint"));
  }

  @Override
  public List<String> configSections() {
    return List.of("run");
  }

  @Override
  public int run(Invocation inv) throws Exception {
    String format = inv.flag("format").orElse("state-dict");
    boolean script = format.equals("torchscript");
    if (!script && !format.equals("state-dict")) {
      throw new UsageException("--format must be state-dict or torchscript, not " + format);
    }
    RunConfig run = inv.run();
    Configuration hadoop = new Configuration();
    Path model = model(inv, run, hadoop);
    AbstractModule<Activity, Activity, Object> module = ModuleFiles.load(model, hadoop);
    String what = script ? "TorchScript" : "state dict";
    boolean finetuned = FinetunedClassifier.isFinetune(module);
    // a fine-tuned classifier: <finetune folder>-classifier.pt, one per finetune folder
    String stem = finetuned ? finetuneFolder(model) + "-classifier" : "encoder";
    Path out = new Path(inv.flag("out").orElseGet(() ->
        new Path(new Path(new Path(run.dir(), run.name()), "export"),
            stem + (script ? "-torchscript.pt" : ".pt")).toString()));
    if (finetuned) {
      FinetunedClassifier.Assembled c = FinetunedClassifier.load(module, model, hadoop);
      if (!script && c.unitFeatures()) {
        throw new IllegalArgumentException(model + " is a fine-tuned head on L2-normalised "
            + "features (finetune.balance = ldam-drw), which torchvision's ResNet has no "
            + "layer for: export it with --format torchscript");
      }
      module = c.model();
      what += ", fine-tuned classifier: backbone of " + c.backboneFrom()
          + (c.standardized() ? ", feature standardisation folded into the head" : "");
    }
    FileSystem fs = out.getFileSystem(hadoop);
    Path tmp = HadoopFiles.temporarySibling(out);
    int tensors;
    try (OutputStream os = fs.create(tmp, true)) {
      if (script) {
        tensors = TorchScriptFile.write(module, os);
      } else {
        Map<String, StateDict.Entry> dict = StateDict.of(module);
        TorchSaveFile.write(dict, os);
        tensors = dict.size();
      }
    } catch (java.io.IOException | RuntimeException e) {
      fs.delete(tmp, false);
      throw e;
    }
    ModuleFiles.replace(fs, tmp, out);
    inv.out().printf("export: %s -> %s (%s, %d tensors)%n", model, out, what, tensors);
    return Main.OK;
  }

  /** The finetune folder's name of {@code <folder>/checkpoints/epoch-NNNN/model.bigdl}. */
  private static String finetuneFolder(Path model) {
    Path p = model;
    for (int i = 0; i < 3 && p != null; i++) {
      p = p.getParent();
    }
    return p == null || p.getName().isEmpty() ? "finetune" : p.getName();
  }

  private static Path model(Invocation inv, RunConfig run, Configuration hadoop)
      throws java.io.IOException {
    java.util.Optional<String> given = inv.flag("checkpoint");
    if (given.isPresent()) {
      Path p = new Path(given.get());
      return p.getFileSystem(hadoop).isDirectory(p) ? new Path(p, Checkpoint.MODEL) : p;
    }
    if (run.name().isBlank()) {
      throw new UsageException("ttc export needs the trained run: set run.name=<run> (under "
          + "run.dir) or --checkpoint <model.bigdl or checkpoint folder>");
    }
    Path folder = new Path(run.dir(), run.name());
    java.util.Optional<String> finetune = inv.flag("finetune");
    if (finetune.isPresent()) {
      folder = new Path(folder, finetune.get());
    }
    Path latest = Checkpoint.latest(folder, hadoop);
    if (latest == null) {
      throw new IllegalArgumentException("run folder " + folder + " has no checkpoint; train it "
          + "first (ttc " + (finetune.isPresent() ? "finetune" : "pretrain") + ") or pass "
          + "--checkpoint");
    }
    return new Path(latest, Checkpoint.MODEL);
  }
}
