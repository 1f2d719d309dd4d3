package io.azmesh.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * The files of the status page ({@code GET /}), read once from the classpath. The page holds no
 * data: its script fetches {@code /api/*} and writes every value as text, never as markup.
 */
final class StatusPage {

  /** One file of the page. */
  record Asset(String path, String contentType, byte[] content) {
    Asset {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(content, "content");
    }
  }

  /**
   * Scripts and styles only from this server, no inline code, no framing: even a value that slips
   * past the text-only rendering cannot run.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
          + "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final String ROOT = "page/";

  private StatusPage() {}

  /** The page's files with the paths they are served at. */
  static List<Asset> assets() {
    return List.of(
        load("/", "index.html", "text/html;charset=utf-8"),
        load("/status.js", "status.js", "text/javascript;charset=utf-8"),
        load("/status.css", "status.css", "text/css;charset=utf-8"));
  }

  private static Asset load(String path, String file, String contentType) {
    try (InputStream in = StatusPage.class.getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw new IllegalStateException("status page file " + ROOT + file + " is not packaged");
      }
      return new Asset(path, contentType, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read status page file " + ROOT + file, e);
    }
  }
}
