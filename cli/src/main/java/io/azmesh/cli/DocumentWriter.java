package io.azmesh.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintWriter;

/** Prints a document of maps and lists as indented JSON or as YAML. */
final class DocumentWriter {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              // Keeps zone "1" and tag values like "8080" strings when the YAML is read back.
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .build());

  private DocumentWriter() {}

  /** Writes {@code document} in {@code format}; TABLE is not a document format. */
  static void write(Object document, OutputFormat format, PrintWriter out) {
    try {
      switch (format) {
        case JSON -> out.println(JSON.writeValueAsString(document));
        case YAML -> out.print(YAML.writeValueAsString(document));
        case TABLE -> throw new IllegalArgumentException("a table is not a document format");
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a document of maps and lists always serializes", e);
    }
    out.flush();
  }
}
