package io.azmesh.discovery.azure.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.azure.ListingScope;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ComputeSubjectTest {
  private static final String SUB = "00000000-0000-0000-0000-00000000000a";
  private static final String GROUP = "/subscriptions/" + SUB + "/resourceGroups/RG-App";

  @Test
  void parse_virtualMachine() {
    assertThat(ComputeSubject.parse(GROUP + "/providers/Microsoft.Compute/virtualMachines/Web-0"))
        .contains(
            new ComputeSubject(
                (GROUP + "/providers/Microsoft.Compute/virtualMachines/Web-0").toLowerCase(),
                ComputeSubject.Kind.VIRTUAL_MACHINE,
                SUB,
                "RG-App"));
  }

  @Test
  void parse_scaleSetAndItsInstances() {
    String set = GROUP + "/providers/microsoft.compute/virtualMachineScaleSets/web";

    assertThat(ComputeSubject.parse(set))
        .map(ComputeSubject::kind)
        .contains(ComputeSubject.Kind.SCALE_SET);
    assertThat(ComputeSubject.parse(set + "/virtualMachines/3"))
        .map(ComputeSubject::kind)
        .contains(ComputeSubject.Kind.SCALE_SET_VM);
  }

  @Test
  void parse_otherResourcesAreNotComputeSubjects() {
    assertThat(
            ComputeSubject.parse(
                GROUP + "/providers/Microsoft.Network/networkInterfaces/web-0-nic"))
        .isEmpty();
    assertThat(
            ComputeSubject.parse(
                GROUP + "/providers/Microsoft.Compute/virtualMachines/web-0/extensions/agent"))
        .isEmpty();
    assertThat(ComputeSubject.parse(GROUP + "/providers/Microsoft.Compute/disks/web-0-os"))
        .isEmpty();
    assertThat(ComputeSubject.parse(GROUP)).isEmpty();
    assertThat(ComputeSubject.parse(GROUP + "/providers/Microsoft.Compute/virtualMachines/"))
        .isEmpty();
  }

  @Test
  void within_aResourceGroupScopeIgnoringCase() {
    ComputeSubject vm =
        ComputeSubject.parse(GROUP + "/providers/Microsoft.Compute/virtualMachines/web-0")
            .orElseThrow();

    assertThat(vm.within(new ListingScope(SUB, Optional.of("rg-app")))).isTrue();
    assertThat(vm.within(new ListingScope(SUB, Optional.empty()))).isTrue();
    assertThat(vm.within(new ListingScope(SUB, Optional.of("rg-other")))).isFalse();
    assertThat(
            vm.within(new ListingScope("00000000-0000-0000-0000-00000000000b", Optional.empty())))
        .isFalse();
  }

  @Test
  void announces_aScaleSetEventCoversEachOfItsInstances() {
    String set = GROUP + "/providers/Microsoft.Compute/virtualMachineScaleSets/web";
    ComputeSubject scaleSet = ComputeSubject.parse(set).orElseThrow();

    assertThat(scaleSet.announces((set + "/virtualMachines/7").toLowerCase())).isTrue();
    assertThat(scaleSet.announces((set + "-2/virtualMachines/7").toLowerCase())).isFalse();
  }
}
