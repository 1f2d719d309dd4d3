package io.azmesh.xds.translator;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads {@link MeshConfig} YAML and turns Jackson's errors into messages people can act on. */
final class MeshConfigReader {
  private static final ObjectMapper MAPPER = createMapper();

  private MeshConfigReader() {}

  static MeshConfig read(Path file) {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MeshConfigException("cannot read mesh config " + file + ": " + e, e);
    }
    return parse(yaml, file.toString());
  }

  static MeshConfig parse(String yaml, String source) {
    try {
      if (hasNoContent(yaml)) {
        return MeshConfig.defaults();
      }
      MeshConfig config = MAPPER.readValue(yaml, MeshConfig.class);
      return config == null ? MeshConfig.defaults() : config;
    } catch (JsonMappingException e) {
      throw new MeshConfigException(source + ": " + describe(e, yaml), e);
    } catch (JsonProcessingException e) {
      throw new MeshConfigException(
          source + ": " + location(e.getLocation()) + "not valid YAML: " + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new MeshConfigException(source + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Blank, or only comments: the defaults, as for no file at all. */
  private static boolean hasNoContent(String yaml) throws IOException {
    try (JsonParser parser = MAPPER.getFactory().createParser(yaml)) {
      return parser.nextToken() == null;
    }
  }

  private static String describe(JsonMappingException e, String yaml) {
    if (e.getCause() instanceof JsonProcessingException syntax
        && !(e.getCause() instanceof JsonMappingException)) {
      return location(syntax.getLocation()) + "not valid YAML: " + syntax.getOriginalMessage();
    }
    List<String> path = path(e);
    if (e instanceof UnrecognizedPropertyException unknown) {
      String known =
          unknown.getKnownPropertyIds().stream()
              .map(Object::toString)
              .sorted()
              .collect(Collectors.joining(", "));
      List<String> parent = path.subList(0, Math.max(0, path.size() - 1));
      return locate(yaml, path)
          + "unknown field '"
          + unknown.getPropertyName()
          + "'"
          + (parent.isEmpty() ? "" : " in " + dotted(parent))
          + " (known: "
          + known
          + ")";
    }
    if (e instanceof InvalidFormatException invalid) {
      Class<?> target = invalid.getTargetType();
      String expected =
          target != null && target.isEnum()
              ? "expected one of: "
                  + Arrays.stream(target.getEnumConstants())
                      .map(c -> c.toString().toLowerCase(Locale.ROOT))
                      .collect(Collectors.joining(", "))
              : "not " + article(target);
      return locate(yaml, path) + dotted(path) + " is '" + invalid.getValue() + "', " + expected;
    }
    if (e instanceof ValueInstantiationException && e.getCause() instanceof RuntimeException) {
      String message = e.getCause().getMessage();
      List<String> at = new ArrayList<>(path);
      if (e.getCause() instanceof InvalidFieldException field) {
        at.addAll(field.path());
      } else {
        // Value records name the offending field first ("port is 70000, ..."): point at it.
        Matcher field = LEADING_FIELD.matcher(message);
        if (field.find() && !locate(yaml, concat(path, field.group(1))).isEmpty()) {
          return locate(yaml, concat(path, field.group(1)))
              + (path.isEmpty() ? "" : dotted(path) + ": ")
              + message;
        }
      }
      return locate(yaml, at) + (at.isEmpty() ? "" : dotted(at) + ": ") + message;
    }
    String where = path.isEmpty() ? location(e.getLocation()) : locate(yaml, path);
    return where + (path.isEmpty() ? "" : dotted(path) + ": ") + e.getOriginalMessage();
  }

  private static final Pattern LEADING_FIELD = Pattern.compile("^([a-z][a-z0-9_]*) ");

  private static List<String> concat(List<String> path, String field) {
    List<String> all = new ArrayList<>(path);
    all.add(field);
    return all;
  }

  /**
   * The line and column of the key (or list item) at {@code path}, found by re-reading the YAML;
   * Jackson reports the end of the enclosing object for errors raised by record constructors.
   */
  private static String locate(String yaml, List<String> path) {
    StringBuilder pointer = new StringBuilder();
    for (String segment : path) {
      pointer.append('/').append(segment.replace("~", "~0").replace("/", "~1"));
    }
    JsonPointer target = JsonPointer.compile(pointer.toString());
    try (JsonParser parser = MAPPER.getFactory().createParser(yaml)) {
      while (parser.nextToken() != null) {
        if (parser.getParsingContext().pathAsPointer().equals(target)) {
          return location(parser.currentTokenLocation());
        }
      }
    } catch (IOException e) {
      // The text parsed once already; a second failure leaves the message without a line.
    }
    return "";
  }

  private static String article(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    return "a " + (type == null ? "value of the right type" : type.getSimpleName());
  }

  private static String location(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
  }

  /** The field path as segments, e.g. {@code [gateways, edge, routes, 1, service]}. */
  private static List<String> path(JsonMappingException e) {
    List<String> path = new ArrayList<>();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.add(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.add(Integer.toString(ref.getIndex()));
      }
    }
    return path;
  }

  /** {@code services.web.port} or {@code gateways.edge.routes[1].service}. */
  private static String dotted(List<String> path) {
    StringBuilder text = new StringBuilder();
    for (String segment : path) {
      if (!segment.isEmpty() && segment.chars().allMatch(Character::isDigit)) {
        text.append('[').append(segment).append(']');
      } else {
        if (text.length() > 0) {
          text.append('.');
        }
        text.append(segment);
      }
    }
    return text.toString();
  }

  private static ObjectMapper createMapper() {
    SimpleModule durations = new SimpleModule("mesh-durations");
    durations.addDeserializer(Duration.class, new DurationDeserializer());
    YAMLFactory yaml = new YAMLFactory();
    yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return JsonMapper.builder(yaml)
        .addModule(new Jdk8Module())
        .addModule(durations)
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  /** Reads {@code 5s}-style durations; a bare number is rejected because its unit is unclear. */
  private static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      String text = parser.getValueAsString();
      if (text == null || !parser.getCurrentToken().isScalarValue()) {
        return (Duration) context.handleUnexpectedToken(Duration.class, parser);
      }
      try {
        return Durations.parse(text);
      } catch (IllegalArgumentException e) {
        throw JsonMappingException.from(parser, e.getMessage(), e);
      }
    }
  }
}
