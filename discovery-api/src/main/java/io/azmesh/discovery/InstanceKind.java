package io.azmesh.discovery;

/** Where an instance came from. */
public enum InstanceKind {
  /** A standalone virtual machine (or a VM of a flexible scale set). */
  VM,
  /** An instance of a uniform virtual machine scale set. */
  SCALE_SET_INSTANCE,
  /** An entry of a static inventory, such as the file provider's. */
  STATIC
}
