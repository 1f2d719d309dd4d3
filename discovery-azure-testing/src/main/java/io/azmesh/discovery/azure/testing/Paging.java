package io.azmesh.discovery.azure.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How ARM pages a listing: page sizes, opaque skip tokens, and the resource-group case of ids that
 * changes from one listing to the next. Resource Graph's pages share the tokens and the case.
 */
final class Paging {
  private static final Pattern GROUP_SEGMENT =
      Pattern.compile("(/resourceGroups/)([^/]+)", Pattern.CASE_INSENSITIVE);

  private final Map<String, Position> skipTokens = new ConcurrentHashMap<>();
  private final AtomicInteger listingCount = new AtomicInteger();
  private volatile int minPageSize = 50;
  private volatile int maxPageSize = 300;
  private volatile FakeArm.GroupCase groupCase = FakeArm.GroupCase.FLIP;

  void pageSizes(int min, int max) {
    if (min < 1) {
      throw new IllegalArgumentException("min page size (" + min + ") must be positive");
    }
    if (max < min) {
      throw new IllegalArgumentException(
          "max page size (" + max + ") must not be less than min (" + min + ")");
    }
    this.minPageSize = min;
    this.maxPageSize = max;
  }

  void groupCase(FakeArm.GroupCase mode) {
    this.groupCase = Objects.requireNonNull(mode, "mode");
  }

  void sendPage(
      HttpExchange exchange, URI endpoint, String path, String rawQuery, List<ObjectNode> items)
      throws IOException {
    Map<String, String> query = Wire.parseQuery(rawQuery);
    int skip = offsetOf(query.get("$skiptoken"));
    int end = Math.min(items.size(), skip + pageSizeAt(path, skip));
    ObjectNode page = JsonNodeFactory.instance.objectNode();
    ArrayNode value = page.putArray("value");
    boolean flip = flipThisListing();
    items.subList(Math.min(skip, items.size()), end).forEach(item -> value.add(cased(item, flip)));
    if (end < items.size()) {
      String kept =
          rawQuery.isEmpty()
              ? ""
              : String.join(
                      "&",
                      Arrays.stream(rawQuery.split("&"))
                          .filter(
                              p -> !p.startsWith("$skiptoken=") && !p.startsWith("%24skiptoken="))
                          .toList())
                  + "&";
      String lastId = items.get(end - 1).path("id").asText("");
      page.put(
          "nextLink",
          endpoint.resolve(path)
              + "?"
              + kept
              + "$skiptoken="
              + issueSkipToken(end, pageOf(query.get("$skiptoken")) + 1, lastId));
    }
    Wire.send(exchange, 200, page.toString());
  }

  /**
   * An opaque token like ARM's: base64 and the last id in ARM's own spelling after a {@code !}, so
   * it holds {@code !} and {@code /} that a client must pass back untouched.
   */
  String issueSkipToken(int offset, int page, String lastId) {
    String token =
        Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
            + "!"
            + lastId.replaceFirst("(?i)^/subscriptions/", "/Subscriptions/");
    skipTokens.put(token, new Position(offset, page));
    return token;
  }

  int offsetOf(String token) {
    if (token == null) {
      return 0;
    }
    return position(token).offset();
  }

  /** The 1-based number of the page a token asks for; 1 without a token. */
  int pageOf(String token) {
    return token == null ? 1 : position(token).page();
  }

  private Position position(String token) {
    Position position = skipTokens.get(token);
    if (position == null) {
      throw new SkipTokenException("The skip token '" + token + "' is not valid.");
    }
    return position;
  }

  /** Where a skip token continues a listing: the item offset, and the page's number. */
  private record Position(int offset, int page) {}

  /** The same page always has the same size, so a test run is repeatable. */
  private int pageSizeAt(String path, int offset) {
    int span = maxPageSize - minPageSize + 1;
    int hash = (path.toLowerCase(Locale.ROOT) + "#" + offset).hashCode();
    return minPageSize + Math.floorMod(hash * 31 + 17, span);
  }

  boolean flipThisListing() {
    return groupCase == FakeArm.GroupCase.FLIP && listingCount.getAndIncrement() % 2 == 1;
  }

  /** The item with every id's resource-group segment in upper case, when {@code flip}. */
  static JsonNode cased(JsonNode item, boolean flip) {
    if (!flip) {
      return item;
    }
    if (item.isTextual()) {
      Matcher m = GROUP_SEGMENT.matcher(item.asText());
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(
            out, Matcher.quoteReplacement(m.group(1) + m.group(2).toUpperCase(Locale.ROOT)));
      }
      m.appendTail(out);
      return TextNode.valueOf(out.toString());
    }
    if (item.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      item.fields().forEachRemaining(f -> copy.set(f.getKey(), cased(f.getValue(), true)));
      return copy;
    }
    if (item.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      item.forEach(element -> copy.add(cased(element, true)));
      return copy;
    }
    return item;
  }

  /** A {@code $skiptoken} the fake did not issue. */
  static final class SkipTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SkipTokenException(String message) {
      super(message);
    }
  }
}
