package org.ttcspark.loss;

import com.typesafe.config.Config;
import java.util.List;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code loss} section of the configuration (every key is documented in
 * {@code reference.conf}).
 *
 * @param method the loss
 * @param temperature tau of every loss but SBCL, greater than 0
 * @param baseTemperature tau_b: the loss is scaled by tau / tau_b; greater than 0
 * @param minorityClass SupMin's supervised class, 0 or 1
 * @param ratioSupervisedMajority SupMin's fraction of majority samples that are mutual
 *     positives, in [0, 1]; null (unset) or 1 is SupCon
 * @param eps0 SupProto's margin for class 0, in [0, 2]
 * @param eps1 SupProto's margin for class 1, in [0, 2]
 * @param negativesWeight SupProto's factor of the denominator sum, greater than 0
 * @param prototypes where SupProto's prototypes come from
 * @param sbclVariant SBCL's loss
 * @param sbclGamma SBCL's weight of the class term, at least 0
 * @param sbclTemperature SBCL's tau
 * @param sbclBaseTemperature SBCL's tau_b
 * @param sbclClassTemperatures SBCL rank's tau per class; empty: derived from the embeddings
 * @param sbclWarmUpEpochs epochs of plain SupCon before SBCL's first clustering
 * @param sbclClusterEvery epochs between two clusterings
 * @param kclK KCL/TSC's number of same-class positives, at least 1
 * @param kclPositiveSelection how KCL/TSC choose them
 * @param bcl BCL's section
 * @param paco PaCo's section
 */
public record LossConfig(LossMethod method, double temperature, double baseTemperature,
    int minorityClass, Double ratioSupervisedMajority, double eps0, double eps1,
    double negativesWeight, PrototypeSource prototypes, SbclVariant sbclVariant,
    double sbclGamma, double sbclTemperature, double sbclBaseTemperature,
    List<Double> sbclClassTemperatures, int sbclWarmUpEpochs, int sbclClusterEvery, int kclK,
    PositiveSelection kclPositiveSelection, BclConfig bcl, PacoConfig paco) {

  /** Reads and checks the {@code loss} section. @throws org.ttcspark.config.ConfigProblems */
  public static LossConfig from(Config config) {
    ConfigReader r = new ConfigReader(config);
    List<Double> classT = r.doubles("loss.sbcl.class-temperatures");
    LossConfig c = new LossConfig(
        r.enumOf("loss.method", LossMethod.class),
        r.doubleAbove("loss.temperature", 0),
        r.doubleAbove("loss.base-temperature", 0),
        r.intIn("loss.minority-class", 0, 1),
        r.optionalDoubleIn("loss.ratio-supervised-majority", 0, 1).orElse(null),
        r.doubleIn("loss.eps-0", 0, SupProtoLoss.MAX_EPS),
        r.doubleIn("loss.eps-1", 0, SupProtoLoss.MAX_EPS),
        r.doubleAbove("loss.negatives-weight", 0),
        r.enumOf("loss.prototypes", PrototypeSource.class),
        r.enumOf("loss.sbcl.variant", SbclVariant.class),
        r.doubleIn("loss.sbcl.gamma", 0, Double.MAX_VALUE),
        r.doubleAbove("loss.sbcl.temperature", 0),
        r.doubleAbove("loss.sbcl.base-temperature", 0),
        List.copyOf(classT),
        r.intIn("loss.sbcl.warm-up-epochs", 0, Integer.MAX_VALUE),
        r.intIn("loss.sbcl.cluster-every", 1, Integer.MAX_VALUE),
        r.intIn("loss.kcl.k", 1, Integer.MAX_VALUE),
        r.enumOf("loss.kcl.positive-selection", PositiveSelection.class),
        BclConfig.read(r),
        PacoConfig.read(r));
    r.require(classT.isEmpty() || classT.size() == 2, "loss.sbcl.class-temperatures",
        "must be empty (derived from the embeddings) or hold one temperature per class (2)");
    r.require(classT.stream().allMatch(t -> t > 0 && Double.isFinite(t)),
        "loss.sbcl.class-temperatures", "must hold finite temperatures greater than 0");
    r.done();
    return c;
  }

  /**
   * The loss of SBCL's warm-up epochs and of epochs before the first clustering: plain SupCon
   * with temperature and base temperature both {@code loss.sbcl.temperature} (factor 1, as in
   * SBCL's code).
   */
  public ContrastiveLoss sbclWarmUpLoss() {
    return SupConLoss.supcon(sbclTemperature, sbclTemperature);
  }

  /** The configured SBCL class temperatures, or null when they are to be derived. */
  public double[] fixedClassTemperatures() {
    return sbclClassTemperatures.isEmpty() ? null
        : sbclClassTemperatures.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The configured loss.
   *
   * @param prototypes {@code [2, D]} for supproto and tsc, BCL's class centres for
   *     {@link ContrastiveLoss#compute} of bcl (null when training, which passes the centres of
   *     each step to {@link BclLoss#compute(ContrastiveBatch, float[])}); ignored otherwise
   * @param derivedClassTemperatures SBCL rank's tau per class when none are configured
   *     ({@link SbclTemperatures#classTemperatures}); ignored otherwise
   * @throws IllegalArgumentException when a needed input is missing, or for paco, whose
   *     inputs are no {@link ContrastiveBatch} ({@link PacoConfig#loss})
   */
  public ContrastiveLoss create(Prototypes prototypes, double[] derivedClassTemperatures) {
    switch (method) {
      case SIMCLR:
        return SupConLoss.simclr(temperature, baseTemperature);
      case SUPCON:
        return SupConLoss.supcon(temperature, baseTemperature);
      case SUPMIN:
        return SupConLoss.supmin(temperature, baseTemperature, minorityClass,
            ratioSupervisedMajority);
      case SUPPROTO:
        return new SupProtoLoss(temperature, baseTemperature, eps0, eps1, negativesWeight,
            prototypes);
      case SBCL:
        double[] fixed = fixedClassTemperatures();
        return new SbclLoss(sbclVariant, sbclTemperature, sbclBaseTemperature, sbclGamma,
            fixed != null ? fixed : derivedClassTemperatures);
      case KCL:
        return KclLoss.kcl(temperature, baseTemperature, kclK, kclPositiveSelection);
      case BCL:
        return new BclLoss(temperature, prototypes);
      case PACO:
        throw new IllegalArgumentException("paco contrasts queries with keys and a queue, not "
            + "a batch of views: use loss.paco (PacoConfig.loss)");
      default:
        return KclLoss.tsc(temperature, baseTemperature, kclK, kclPositiveSelection,
            prototypes);
    }
  }
}
