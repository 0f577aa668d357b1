/**
 * The encoder on PyTorch and for PyTorch users: {@link org.ttcspark.model.torch.TorchEncoder}
 * computes a BigDL model in libtorch through DJL (the torch engine, same flat parameter layout),
 * and the export files are written from the BigDL model without Python: a {@code torch.save}
 * state dict under torchvision's names ({@link org.ttcspark.model.torch.StateDict},
 * {@link org.ttcspark.model.torch.TorchSaveFile}) and a TorchScript archive
 * ({@link org.ttcspark.model.torch.TorchScriptFile}), both zips of one pickle writer's output
 * and the raw storages.
 * <p>Depends on {@code platform} and BigDL's module classes; never on a stage.
 */
package org.ttcspark.model.torch;
