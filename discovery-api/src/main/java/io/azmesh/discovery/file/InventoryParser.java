package io.azmesh.discovery.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.InstanceKind;
import io.azmesh.discovery.IpLiterals;
import io.azmesh.discovery.PowerState;
import io.azmesh.discovery.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads an inventory document into instances, or fails listing every problem with its line.
 *
 * <p>The document is read token by token rather than bound to classes, so each value keeps the line
 * it came from and one bad entry does not hide the problems of the next.
 */
final class InventoryParser {
  static final List<String> FIELDS =
      List.of("name", "private_ip", "public_ip", "location", "zone", "power_state", "tags");

  private final String source;
  private final InventoryFormat format;
  private final JsonFactory factory;

  /**
   * @param source how messages name the file, e.g. {@code examples/inventory.yaml}
   */
  InventoryParser(String source, InventoryFormat format) {
    this.source = Objects.requireNonNull(source, "source");
    this.format = Objects.requireNonNull(format, "format");
    this.factory = format.newFactory();
  }

  /** The instances of {@code text}, in file order; throws if anything in it is wrong. */
  List<Instance> parse(String text) throws InvalidInventoryException {
    Document document = new Document(text);
    try (JsonParser parser = factory.createParser(text)) {
      document.read(parser);
    } catch (JsonProcessingException e) {
      document.problems.add(syntaxProblem(text, e));
    } catch (IOException e) {
      // The parser reads from a String: nothing here touches the file system.
      throw new UncheckedIOException(e);
    }
    if (!document.problems.isEmpty()) {
      throw new InvalidInventoryException(source, document.problems);
    }
    return document.instances;
  }

  /**
   * The one instance of {@code entry}, a list of one item as {@link InventoryEntries} cuts it;
   * empty when it has any problem, which only a full parse reports with the right lines.
   */
  Optional<Instance> parseEntry(String entry) {
    Document document = new Document(entry);
    try (JsonParser parser = factory.createParser(entry)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        return Optional.empty();
      }
      document.readInstances(parser);
      if (parser.nextToken() != null) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return document.problems.isEmpty() && document.instances.size() == 1
        ? Optional.of(document.instances.get(0))
        : Optional.empty();
  }

  private Problem syntaxProblem(String text, JsonProcessingException e) {
    int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
    String[] lines = text.split("\\R", -1);
    String offending = line <= lines.length ? lines[line - 1].strip() : "";
    // SnakeYAML's messages span lines: context, problem, and indented source snippets with a
    // caret. The unindented lines are the words; the snippet is already in `offending`.
    String reason =
        Objects.requireNonNullElse(e.getOriginalMessage(), "syntax error")
            .lines()
            .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
            .collect(Collectors.joining(": "));
    return Problem.of(at(line), "line", offending, "not valid " + format.label() + ": " + reason);
  }

  private String at(int line) {
    return source + ":" + line;
  }

  private static int lineOf(JsonParser parser) {
    return parser.currentTokenLocation().getLineNr();
  }

  /** The state of one parse: instances and problems found so far. */
  private final class Document {
    private final String text;
    private final List<Instance> instances = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Integer> nameLines = new HashMap<>();

    Document(String text) {
      this.text = text;
    }

    void read(JsonParser parser) throws IOException {
      JsonToken token = parser.nextToken();
      if (token == null) {
        problems.add(
            Problem.missing(at(1), "instances", "the file is empty; write 'instances: []'"));
        return;
      }
      if (token != JsonToken.START_OBJECT) {
        problems.add(
            Problem.of(
                at(lineOf(parser)),
                "inventory",
                describe(parser),
                "not a mapping with an 'instances' list"));
        return;
      }
      int instancesLine = 0;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        int line = lineOf(parser);
        parser.nextToken();
        if (!field.equals("instances")) {
          problems.add(
              Problem.of(
                  at(line), "top-level field", field, "not known; the only one is 'instances'"));
          parser.skipChildren();
        } else if (instancesLine > 0) {
          problems.add(
              Problem.of(
                  at(line), "field", field, "given twice (first on line " + instancesLine + ")"));
          parser.skipChildren();
        } else {
          instancesLine = line;
          readInstances(parser);
        }
      }
      if (instancesLine == 0) {
        problems.add(
            Problem.missing(at(1), "instances", "the inventory needs an 'instances' list"));
      }
    }

    private void readInstances(JsonParser parser) throws IOException {
      if (parser.currentToken() != JsonToken.START_ARRAY) {
        problems.add(Problem.of(at(lineOf(parser)), "instances", describe(parser), "not a list"));
        parser.skipChildren();
        return;
      }
      int index = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (parser.currentToken() == JsonToken.START_OBJECT) {
          readInstance(parser);
        } else {
          problems.add(
              Problem.of(
                  at(lineOf(parser)),
                  "instances[" + index + "]",
                  describe(parser),
                  "not a mapping of instance fields"));
          parser.skipChildren();
        }
        index++;
      }
    }

    private void readInstance(JsonParser parser) throws IOException {
      int startLine = lineOf(parser);
      int problemsBefore = problems.size();
      Map<String, Value> values = new LinkedHashMap<>();
      Map<String, String> tags = new LinkedHashMap<>();
      Set<String> malformed = new HashSet<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        int line = lineOf(parser);
        parser.nextToken();
        if (!FIELDS.contains(field)) {
          problems.add(
              Problem.of(
                  at(line),
                  "field",
                  field,
                  "not an instance field; known: " + String.join(", ", FIELDS)));
          parser.skipChildren();
          continue;
        }
        Value previous = values.get(field);
        if (previous != null) {
          problems.add(
              Problem.of(
                  at(line),
                  "field",
                  field,
                  "given twice in one instance (first on line " + previous.line() + ")"));
          parser.skipChildren();
          continue;
        }
        int valueLine = lineOf(parser);
        if (field.equals("tags")) {
          values.put(field, new Value(null, valueLine));
          readTags(parser, tags);
        } else {
          if (!parser.currentToken().isScalarValue()) {
            malformed.add(field);
          }
          values.put(field, new Value(scalar(parser, field), valueLine));
        }
      }
      values.keySet().removeAll(malformed);
      Optional<String> name =
          required(values, "name", startLine, malformed, "every instance needs a name");
      Optional<String> privateIp =
          required(values, "private_ip", startLine, malformed, "every instance needs a private IP");
      name.ifPresent(n -> checkUniqueName(n, values.get("name").line()));
      privateIp.ifPresent(ip -> checkIp(values.get("private_ip"), "private_ip"));
      Optional<String> publicIp = optional(values, "public_ip");
      publicIp.ifPresent(ip -> checkIp(values.get("public_ip"), "public_ip"));
      Optional<String> location = optional(values, "location");
      location.ifPresent(v -> checkNotBlank(values.get("location"), "location"));
      Optional<String> zone = optional(values, "zone");
      zone.ifPresent(v -> checkNotBlank(values.get("zone"), "zone"));
      PowerState powerState = powerState(values.get("power_state"));
      if (problems.size() > problemsBefore || name.isEmpty() || privateIp.isEmpty()) {
        return;
      }
      instances.add(
          Instance.builder(name.get(), name.get(), privateIp.get())
              .publicIp(publicIp.orElse(null))
              .location(location.orElse(null))
              .zone(zone.orElse(null))
              .powerState(powerState)
              .kind(InstanceKind.STATIC)
              .tags(tags)
              .build());
    }

    private void readTags(JsonParser parser, Map<String, String> tags) throws IOException {
      if (parser.currentToken() == JsonToken.VALUE_NULL) {
        return;
      }
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        problems.add(
            Problem.of(at(lineOf(parser)), "tags", describe(parser), "not a mapping of tags"));
        parser.skipChildren();
        return;
      }
      Map<String, Integer> tagLines = new HashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        int line = lineOf(parser);
        parser.nextToken();
        String field = "tag " + key;
        if (key.isBlank()) {
          problems.add(Problem.of(at(line), "tag key", key, "must not be blank"));
          parser.skipChildren();
        } else if (tagLines.containsKey(key)) {
          problems.add(
              Problem.of(
                  at(line),
                  "tag",
                  key,
                  "given twice in one instance (first on line " + tagLines.get(key) + ")"));
          parser.skipChildren();
        } else if (parser.currentToken() == JsonToken.VALUE_NULL) {
          tagLines.put(key, line);
          problems.add(Problem.missing(at(line), field, "a tag needs a value"));
        } else {
          tagLines.put(key, line);
          String value = scalar(parser, field);
          if (value != null) {
            tags.put(key, value);
          }
        }
      }
    }

    /** The text of a scalar value, null for an explicit null or a reported non-scalar. */
    private String scalar(JsonParser parser, String field) throws IOException {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_NULL) {
        return null;
      }
      if (token.isScalarValue()) {
        return parser.getText();
      }
      problems.add(Problem.of(at(lineOf(parser)), field, describe(parser), "not a single value"));
      parser.skipChildren();
      return null;
    }

    private Optional<String> required(
        Map<String, Value> values,
        String field,
        int startLine,
        Set<String> malformed,
        String reason) {
      Value value = values.get(field);
      if (malformed.contains(field)) {
        return Optional.empty();
      }
      if (value == null || value.text() == null) {
        int line = value == null ? startLine : value.line();
        problems.add(Problem.missing(at(line), field, reason));
        return Optional.empty();
      }
      if (value.text().isBlank()) {
        problems.add(Problem.of(at(value.line()), field, value.text(), "must not be blank"));
        return Optional.empty();
      }
      return Optional.of(value.text());
    }

    private Optional<String> optional(Map<String, Value> values, String field) {
      Value value = values.get(field);
      return value == null ? Optional.empty() : Optional.ofNullable(value.text());
    }

    private void checkUniqueName(String name, int line) {
      Integer first = nameLines.putIfAbsent(name, line);
      if (first != null) {
        problems.add(Problem.of(at(line), "name", name, "already used on line " + first));
      }
    }

    private void checkIp(Value value, String field) {
      if (!IpLiterals.isIpLiteral(value.text())) {
        problems.add(Problem.of(at(value.line()), field, value.text(), "not an IP address"));
      }
    }

    private void checkNotBlank(Value value, String field) {
      if (value.text().isBlank()) {
        problems.add(Problem.of(at(value.line()), field, value.text(), "must not be blank"));
      }
    }

    private PowerState powerState(Value value) {
      if (value == null || value.text() == null) {
        return PowerState.RUNNING;
      }
      Optional<PowerState> state = PowerState.fromCode(value.text());
      if (state.isEmpty()) {
        problems.add(
            Problem.of(
                at(value.line()), "power_state", value.text(), "not one of " + PowerState.codes()));
        return PowerState.UNKNOWN;
      }
      return state.get();
    }

    /** A short rendering of the current value for messages: the scalar text, or its source line. */
    private String describe(JsonParser parser) throws IOException {
      JsonToken token = parser.currentToken();
      if (token.isScalarValue()) {
        return token == JsonToken.VALUE_NULL ? "null" : parser.getText();
      }
      int line = lineOf(parser);
      String[] lines = text.split("\\R", -1);
      return line >= 1 && line <= lines.length ? lines[line - 1].strip() : token.asString();
    }
  }

  /** A scalar field value (null when written as null) and the line it is on. */
  private record Value(String text, int line) {}
}
