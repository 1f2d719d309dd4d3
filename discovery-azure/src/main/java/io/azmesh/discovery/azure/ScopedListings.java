package io.azmesh.discovery.azure;

import com.azure.core.util.Context;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetInner;
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
   * VMs with tags and network profile, without instance view: Azure's reference allows {@code
   * $expand=instanceView} on this listing only with a {@code $filter} (see {@link PowerStates}).
   */
  Iterable<VirtualMachineInner> virtualMachines() {
    return group()
        .<Iterable<VirtualMachineInner>>map(
            group ->
                clients
                    .compute()
                    .getVirtualMachines()
                    .listByResourceGroup(group, null, null, context))
        .orElseGet(() -> clients.compute().getVirtualMachines().list(null, null, null, context));
  }

  Iterable<NetworkInterfaceInner> networkInterfaces() {
    return group()
        .map(this::networkInterfacesIn)
        .orElseGet(() -> clients.network().getNetworkInterfaces().list(context));
  }

  /** The NICs of another resource group of the scope's subscription. */
  Iterable<NetworkInterfaceInner> networkInterfacesIn(String group) {
    return clients.network().getNetworkInterfaces().listByResourceGroup(group, context);
  }

  Iterable<PublicIpAddressInner> publicIps() {
    return group()
        .map(this::publicIpsIn)
        .orElseGet(() -> clients.network().getPublicIpAddresses().list(context));
  }

  /** The public IPs of another resource group of the scope's subscription. */
  Iterable<PublicIpAddressInner> publicIpsIn(String group) {
    return clients.network().getPublicIpAddresses().listByResourceGroup(group, context);
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
