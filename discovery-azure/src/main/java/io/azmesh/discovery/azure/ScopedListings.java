package io.azmesh.discovery.azure;

import com.azure.core.util.Context;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetInner;
import com.azure.resourcemanager.compute.models.ExpandTypeForListVMs;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceInner;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import java.util.Objects;
import java.util.Optional;

/**
 * The list operations of one {@link ListingScope}: the subscription-wide {@code _ListAll}
 * operations, or a resource group's {@code _List} operations, which ARM authorizes at the group.
 * Each method returns a lazy paged listing: its requests are made while it is iterated.
 */
record ScopedListings(ArmClients clients, ListingScope scope, Context context) {

  ScopedListings {
    Objects.requireNonNull(clients, "clients");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(context, "context");
  }

  /**
   * VMs with tags and network profile; in a resource group also with the instance view (power
   * state), since {@code statusOnly} exists only subscription-wide.
   */
  Iterable<VirtualMachineInner> virtualMachines() {
    return group()
        .<Iterable<VirtualMachineInner>>map(
            group ->
                clients
                    .compute()
                    .getVirtualMachines()
                    .listByResourceGroup(group, null, ExpandTypeForListVMs.INSTANCE_VIEW, context))
        .orElseGet(() -> clients.compute().getVirtualMachines().list(null, null, null, context));
  }

  /**
   * Subscription-wide, the power states as a listing of their own ({@code statusOnly=true}); empty
   * in a resource group, where {@link #virtualMachines()} carries them.
   */
  Optional<Iterable<VirtualMachineInner>> powerStates() {
    return group().isPresent()
        ? Optional.empty()
        : Optional.of(clients.compute().getVirtualMachines().list("true", null, null, context));
  }

  Iterable<NetworkInterfaceInner> networkInterfaces() {
    return group()
        .<Iterable<NetworkInterfaceInner>>map(
            group -> clients.network().getNetworkInterfaces().listByResourceGroup(group, context))
        .orElseGet(() -> clients.network().getNetworkInterfaces().list(context));
  }

  Iterable<PublicIpAddressInner> publicIps() {
    return group()
        .<Iterable<PublicIpAddressInner>>map(
            group -> clients.network().getPublicIpAddresses().listByResourceGroup(group, context))
        .orElseGet(() -> clients.network().getPublicIpAddresses().list(context));
  }

  Iterable<VirtualMachineScaleSetInner> scaleSets() {
    return group()
        .<Iterable<VirtualMachineScaleSetInner>>map(
            group ->
                clients.compute().getVirtualMachineScaleSets().listByResourceGroup(group, context))
        .orElseGet(() -> clients.compute().getVirtualMachineScaleSets().list(context));
  }

  private Optional<String> group() {
    return scope.resourceGroup();
  }
}
