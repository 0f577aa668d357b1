package org.ttcspark.cli;

import java.util.List;
import org.apache.hadoop.fs.Path;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.train.bigdl.Finetune;

/**
 * {@code ttc finetune}: the authors' evaluation protocol, a classifier trained on the backbone of
 * a pretrained run ({@link Finetune}), into {@code <run>/finetune/}.
 */
final class FinetuneCommand implements Command {
  @Override
  public String name() {
    return "finetune";
  }

  @Override
  public String summary() {
    return "train a classifier head on a pretrained encoder (frozen or trainable) and test it";
  }

  @Override
  public List<Flag> flags() {
    return List.of(
        Flag.value("from", "DIR", "the pretrain (or train-ce) run folder (default: "
            + "<run.dir>/<run.name>)"),
        Flag.toggle("resume", "continue the finetune run from its newest checkpoint"));
  }

  @Override
  public List<String> configSections() {
    return List.of("dataset", "augment", "finetune", "engine", "run");
  }

  @Override
  public int run(Invocation inv) throws Exception {
    RunConfig run = RunConfig.from(inv.config());
    String from = inv.flag("from").orElse(null);
    if (from == null && run.name().isBlank()) {
      throw new UsageException("ttc finetune needs the pretrained run: run.name=<its name> or "
          + "--from <its folder>");
    }
    Path folder = from != null ? new Path(from) : new Path(run.dir(), run.name());
    Finetune.Result r = Finetune.run(inv.spark().session(), inv.config(), folder,
        inv.has("resume"), inv.out());
    inv.out().printf("finetune: %d epochs done, results %s%n",
        r.last() == null ? 0 : r.last().epoch(), new Path(r.folder(), Finetune.RESULTS));
    return Main.OK;
  }
}
