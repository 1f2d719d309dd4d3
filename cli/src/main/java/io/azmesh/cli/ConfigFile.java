package io.azmesh.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The azmesh config file: its {@code meshctl:} section holds option defaults keyed by the long
 * option name without dashes, e.g. {@code xds-port: 18000} or {@code subscription: [a, b]}; the
 * rest of the file is the mesh configuration that serve and render hand to the translator.
 */
final class ConfigFile {
  /** The top-level key whose mapping holds meshctl's option defaults. */
  static final String SECTION = "meshctl";

  private final Path path;
  private final Map<String, Setting> settings;
  private final String meshConfigText;

  private ConfigFile(Path path, Map<String, Setting> settings, String meshConfigText) {
    this.path = path;
    this.settings = Collections.unmodifiableSortedMap(new TreeMap<>(settings));
    this.meshConfigText = meshConfigText;
  }

  /** One option's value in the file (lists joined by commas) and the line it is on. */
  record Setting(String value, int line) {}

  /** Reads {@code path}; fails with the file, line and value of the first problem. */
  static ConfigFile read(Path path) {
    String text;
    try {
      text = Files.readString(path);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file " + path + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read config file " + path + ": " + e.getMessage(), e);
    }
    return parse(path, text);
  }

  /** Reads {@code text} as the content of {@code path}; fails like {@link #read}. */
  static ConfigFile parse(Path path, String text) {
    try (JsonParser parser = new YAMLFactory().createParser(text)) {
      Reader reader = new Reader(path, parser);
      Map<String, Setting> settings = reader.read();
      return new ConfigFile(path, settings, reader.withoutSection(text));
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
      String reason = Optional.ofNullable(e.getOriginalMessage()).orElse("syntax error");
      throw new IllegalArgumentException(
          path + ":" + line + ": not valid YAML: " + reason.lines().findFirst().orElse(reason), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + path, e);
    }
  }

  Path path() {
    return path;
  }

  /**
   * The file without its {@code meshctl:} section, whose lines are blanked rather than removed so
   * that the translator's messages still point at the right line.
   */
  String meshConfigText() {
    return meshConfigText;
  }

  /** The value set for {@code option} (long name without dashes), if any. */
  Optional<String> value(String option) {
    return Optional.ofNullable(settings.get(option)).map(Setting::value);
  }

  /** Every option set in the file. */
  Map<String, Setting> settings() {
    return settings;
  }

  /** Reads the document token by token so every value keeps its line. */
  private static final class Reader {
    private final Path path;
    private final JsonParser parser;
    private int sectionStart;
    private int nextKeyLine;

    Reader(Path path, JsonParser parser) {
      this.path = path;
      this.parser = parser;
    }

    Map<String, Setting> read() throws IOException {
      Map<String, Setting> settings = new TreeMap<>();
      JsonToken token = parser.nextToken();
      if (token == null) {
        return settings;
      }
      if (token != JsonToken.START_OBJECT) {
        throw error("the file is not a mapping");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        if (sectionStart > 0 && nextKeyLine == 0) {
          nextKeyLine = line();
        }
        String key = parser.currentName();
        int keyLine = line();
        parser.nextToken();
        if (key.equals(SECTION)) {
          sectionStart = keyLine;
          readSection(settings);
        } else {
          parser.skipChildren();
        }
      }
      if (sectionStart > 0 && sectionStart == nextKeyLine) {
        throw error(SECTION + ": put the section on lines of its own, not inline with other keys");
      }
      return settings;
    }

    /** {@code text} with the lines of the meshctl section blanked, so line numbers still hold. */
    String withoutSection(String text) {
      if (sectionStart == 0) {
        return text;
      }
      String[] lines = text.split("\n", -1);
      int last = nextKeyLine == 0 ? lines.length : nextKeyLine - 1;
      for (int line = sectionStart; line <= last && line <= lines.length; line++) {
        lines[line - 1] = "";
      }
      return String.join("\n", lines);
    }

    private void readSection(Map<String, Setting> settings) throws IOException {
      if (parser.currentToken() == JsonToken.VALUE_NULL) {
        return;
      }
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        throw error(SECTION + " is '" + parser.getText() + "', not a mapping of options");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String option = parser.currentName();
        int line = line();
        parser.nextToken();
        if (settings.containsKey(option)) {
          throw error(SECTION + "." + option + " is given twice");
        }
        settings.put(option, new Setting(value(option), line));
      }
    }

    private String value(String option) throws IOException {
      JsonToken token = parser.currentToken();
      if (token.isScalarValue() && token != JsonToken.VALUE_NULL) {
        return parser.getText();
      }
      if (token == JsonToken.START_ARRAY) {
        List<String> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          if (!parser.currentToken().isScalarValue()) {
            throw error(SECTION + "." + option + " lists something that is not a single value");
          }
          items.add(parser.getText());
        }
        return String.join(",", items);
      }
      throw error(SECTION + "." + option + " needs a value or a list of values");
    }

    private int line() {
      return parser.currentTokenLocation().getLineNr();
    }

    private IllegalArgumentException error(String message) {
      return new IllegalArgumentException(path + ":" + line() + ": " + message);
    }
  }
}
