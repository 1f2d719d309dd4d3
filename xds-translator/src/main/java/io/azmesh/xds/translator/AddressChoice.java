package io.azmesh.xds.translator;

/** Which address of an instance a service publishes. */
public enum AddressChoice {
  /** The private IP: the mesh runs inside the virtual network. */
  PRIVATE,
  /** The public IP: instances without one are left out of the service, with a problem. */
  PUBLIC
}
