package io.azmesh.discovery.azure.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azmesh.discovery.azure.testing.ResourceEvents;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventMessagesTest {
  private static final String VM =
      "/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-app/providers/"
          + "Microsoft.Compute/virtualMachines/web-0";
  private static final Instant AT = Instant.parse("2026-12-06T02:00:00.1234567Z");
  private static final ResourceEvents DEALLOCATED =
      ResourceEvents.action(VM, "deallocate").withId("4db48cba-50a2-455a-93b4-de41a3b5b7f6").at(AT);
  private static final ChangeEvent EXPECTED =
      new ChangeEvent(
          "4db48cba-50a2-455a-93b4-de41a3b5b7f6",
          "Microsoft.Resources.ResourceActionSuccess",
          VM,
          Optional.of(AT));

  @Test
  void parse_eventGridSchemaAsPlainJson() throws Exception {
    assertThat(EventMessages.parse(DEALLOCATED.eventGridSchema())).containsExactly(EXPECTED);
  }

  @Test
  void parse_eventGridSchemaBase64Encoded() throws Exception {
    assertThat(EventMessages.parse(ResourceEvents.base64(DEALLOCATED.eventGridSchema())))
        .containsExactly(EXPECTED);
  }

  @Test
  void parse_cloudEventsSchemaAsPlainJson() throws Exception {
    assertThat(EventMessages.parse(DEALLOCATED.cloudEventsSchema())).containsExactly(EXPECTED);
  }

  @Test
  void parse_cloudEventsSchemaBase64Encoded() throws Exception {
    assertThat(EventMessages.parse(ResourceEvents.base64(DEALLOCATED.cloudEventsSchema())))
        .containsExactly(EXPECTED);
  }

  @Test
  void parse_anArrayOfEventsAsAWebhookReceivesThem() throws Exception {
    ResourceEvents deleted = ResourceEvents.deleted(VM).withId("second").at(AT);
    String array = "[" + DEALLOCATED.eventGridSchema() + "," + deleted.eventGridSchema() + "]";

    List<ChangeEvent> events = EventMessages.parse(array);

    assertThat(events).extracting(ChangeEvent::id).containsExactly(EXPECTED.id(), "second");
  }

  @Test
  void parse_anEventWithoutAReadableTimeStillCounts() throws Exception {
    String text = DEALLOCATED.eventGridSchema().replace(AT.toString(), "yesterday");

    assertThat(EventMessages.parse(text))
        .singleElement()
        .extracting(ChangeEvent::time)
        .isEqualTo(Optional.empty());
  }

  @Test
  void parse_badJsonIsNotAnEvent() {
    assertThatThrownBy(() -> EventMessages.parse("{\"subject\": "))
        .isInstanceOf(NotAnEventException.class)
        .hasMessageStartingWith("not JSON: ");
  }

  @Test
  void parse_textThatIsNeitherJsonNorBase64IsNotAnEvent() {
    assertThatThrownBy(() -> EventMessages.parse("hello, queue!"))
        .isInstanceOf(NotAnEventException.class)
        .hasMessage("neither JSON nor base64-encoded JSON");
  }

  @Test
  void parse_base64OfSomethingElseIsNotAnEvent() {
    assertThatThrownBy(() -> EventMessages.parse(ResourceEvents.base64("hello")))
        .isInstanceOf(NotAnEventException.class)
        .hasMessage("base64 of something that is not JSON");
  }

  @Test
  void parse_jsonOfAnUnknownSchemaIsNotAnEvent() {
    assertThatThrownBy(() -> EventMessages.parse("{\"hello\": \"queue\"}"))
        .isInstanceOf(NotAnEventException.class)
        .hasMessage("neither the Event Grid schema (eventType) nor CloudEvents 1.0 (specversion)");
  }

  @Test
  void parse_anotherCloudEventsVersionIsNotAnEvent() {
    String text =
        DEALLOCATED
            .cloudEventsSchema()
            .replace("\"specversion\": \"1.0\"", "\"specversion\": \"0.3\"");

    assertThatThrownBy(() -> EventMessages.parse(text))
        .isInstanceOf(NotAnEventException.class)
        .hasMessage("CloudEvents specversion '0.3', expected 1.0");
  }

  @Test
  void parse_anEventWithoutASubjectIsNotAnEvent() {
    String text = DEALLOCATED.eventGridSchema().replaceFirst("\"subject\": \"[^\"]*\",", "");

    assertThatThrownBy(() -> EventMessages.parse(text))
        .isInstanceOf(NotAnEventException.class)
        .hasMessage("the event has no subject");
  }

  @Test
  void parse_emptyMessageIsNotAnEvent() {
    assertThatThrownBy(() -> EventMessages.parse("  "))
        .isInstanceOf(NotAnEventException.class)
        .hasMessage("empty message");
  }
}
