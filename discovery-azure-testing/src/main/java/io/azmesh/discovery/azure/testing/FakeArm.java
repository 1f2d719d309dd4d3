package io.azmesh.discovery.azure.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A fake Azure Resource Manager on {@code https://127.0.0.1:<port>/}: serves the list operations
 * the azure provider uses in Azure's wire shapes (paged with {@code nextLink}), a Resource Graph
 * endpoint for power states, an App Service managed-identity token endpoint, injectable faults, and
 * a record of every request.
 *
 * <p>Listings are served subscription-wide and per resource group. Anything else, such as a per-VM
 * GET, is answered 404 and recorded, so tests can prove that no such call happens. ARM requests
 * must carry {@code Authorization: Bearer <accessToken()>}, and may be limited to {@link
 * #readableScopes(String...)} as role assignments limit a real identity.
 *
 * <p>By default the fake holds clients to Azure's documented contract, not to what is convenient:
 * {@code $expand=instanceView} on a VM listing without the documented {@code $filter} is refused
 * ({@link ExpandWithoutFilter}), pages hold 50 to 300 items and link the next one with an opaque
 * {@code $skiptoken}, the resource-group segment of ids changes case from one listing to the next
 * ({@link GroupCase}), a flexible scale set's instance listing answers 409, and every response
 * carries ARM's request ids and {@code x-ms-ratelimit-remaining-*} headers.
 */
public final class FakeArm implements AutoCloseable {
  /** Password of the trust store written by {@link #writeTrustStore(Path)}. */
  public static final String TRUST_STORE_PASSWORD = "fake-arm-trust";

  private static final String KEYSTORE = "fake-arm.p12";
  private static final char[] KEYSTORE_PASSWORD = "fake-arm-only".toCharArray();
  private static final String TOKEN_PATH = "/msi/token";
  private static final Pattern AAD_TOKEN = Pattern.compile("^/([^/]+)/oauth2/v2\\.0/token$");
  private static final String SUB = "^/subscriptions/([^/]+)";
  private static final String SCALE_SET =
      SUB + "/resourceGroups/([^/]+)/providers/Microsoft\\.Compute/virtualMachineScaleSets/([^/]+)";
  // A subscription-wide listing, or (group 2) one resource group's.
  private static final String LIST_SCOPE = SUB + "(?:/resourceGroups/([^/]+))?";
  private static final Pattern VMS =
      Pattern.compile(
          LIST_SCOPE + "/providers/Microsoft\\.Compute/virtualMachines$", Pattern.CASE_INSENSITIVE);
  private static final Pattern SCALE_SETS =
      Pattern.compile(
          LIST_SCOPE + "/providers/Microsoft\\.Compute/virtualMachineScaleSets$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern SCALE_SET_VMS =
      Pattern.compile(SCALE_SET + "/virtualMachines$", Pattern.CASE_INSENSITIVE);
  private static final Pattern SCALE_SET_NICS =
      Pattern.compile(SCALE_SET + "/networkInterfaces$", Pattern.CASE_INSENSITIVE);
  private static final Pattern SCALE_SET_PIPS =
      Pattern.compile(SCALE_SET + "/publicIPAddresses$", Pattern.CASE_INSENSITIVE);
  private static final Pattern NICS =
      Pattern.compile(
          LIST_SCOPE + "/providers/Microsoft\\.Network/networkInterfaces$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern PIPS =
      Pattern.compile(
          LIST_SCOPE + "/providers/Microsoft\\.Network/publicIPAddresses$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern RESOURCE_GRAPH =
      Pattern.compile("^/providers/Microsoft\\.ResourceGraph/resources$", Pattern.CASE_INSENSITIVE);
  // The one query shape the fake's Resource Graph evaluates: VM power states, optionally in
  // resource groups. Anything else is refused, so a client cannot drift from it unnoticed.
  private static final Pattern RESOURCE_GRAPH_QUERY =
      Pattern.compile(
          "^Resources\\s*\\|\\s*where type =~ 'microsoft\\.compute/virtualmachines'"
              + "(?:\\s*\\|\\s*where resourceGroup in~ \\(([^)]*)\\))?"
              + "\\s*\\|\\s*project id, powerState ="
              + " tostring\\(properties\\.extended\\.instanceView\\.powerState\\.code\\)$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
  private static final Pattern FLEXIBLE_FILTER =
      Pattern.compile("^virtualMachineScaleSet/id eq '([^']+)'$", Pattern.CASE_INSENSITIVE);
  private static final Pattern GROUP_SEGMENT =
      Pattern.compile("(/resourceGroups/)([^/]+)", Pattern.CASE_INSENSITIVE);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RESOURCE_GROUP_PATH =
      Pattern.compile(SUB + "/resourceGroups/([^/]+)/", Pattern.CASE_INSENSITIVE);
  // The resource group of Azure's example of an unallocated public IP, listed in every
  // subscription.
  private static final String UNALLOCATED_IP_GROUP = "rg-other";

  private final ArmTemplates templates = new ArmTemplates();
  private final HttpsServer server;
  private final ExecutorService executor;
  private final Certificate certificate;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final List<FaultRule> faults = new CopyOnWriteArrayList<>();
  private final List<String> extraResourceGroups = new CopyOnWriteArrayList<>();
  private volatile List<String> readableScopes;
  private final List<FakeVm> vms = new CopyOnWriteArrayList<>();
  private final List<FakeScaleSet> scaleSets = new CopyOnWriteArrayList<>();
  private final String accessToken = "fake-arm-token-" + UUID.randomUUID();
  private final String identityHeader = "fake-identity-header-" + UUID.randomUUID();
  private volatile int minPageSize = 50;
  private volatile int maxPageSize = 300;
  private volatile ExpandWithoutFilter expandWithoutFilter = ExpandWithoutFilter.REFUSE;
  private volatile GroupCase groupCase = GroupCase.FLIP;
  private final AtomicInteger listingCount = new AtomicInteger();
  private final Map<String, Integer> skipTokens = new ConcurrentHashMap<>();
  private final AtomicLong subscriptionReads = new AtomicLong(11999);
  private final AtomicLong computeReads3Min = new AtomicLong(239);
  private final AtomicLong computeReads30Min = new AtomicLong(1199);
  private final Map<String, Optional<String>> resourceGraphLag = new ConcurrentHashMap<>();
  private volatile ServicePrincipal servicePrincipal;

  private FakeArm(HttpsServer server, ExecutorService executor, Certificate certificate) {
    this.server = server;
    this.executor = executor;
    this.certificate = certificate;
  }

  /** Starts a fake on 127.0.0.1 and a port chosen by the system. */
  public static FakeArm start() {
    try {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      try (InputStream in = FakeArm.class.getResourceAsStream(KEYSTORE)) {
        if (in == null) {
          throw new IllegalStateException("missing " + KEYSTORE);
        }
        keyStore.load(in, KEYSTORE_PASSWORD);
      }
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(keyStore, KEYSTORE_PASSWORD);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(keys.getKeyManagers(), null, null);
      HttpsServer server =
          HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(tls));
      ExecutorService executor =
          Executors.newCachedThreadPool(
              runnable -> {
                Thread thread = new Thread(runnable, "fake-arm");
                thread.setDaemon(true);
                return thread;
              });
      server.setExecutor(executor);
      FakeArm fake = new FakeArm(server, executor, keyStore.getCertificate("fake-arm"));
      server.createContext("/", fake::handle);
      server.start();
      return fake;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fake ARM server", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the fake ARM key store", e);
    }
  }

  /** The ARM endpoint, e.g. {@code https://127.0.0.1:41234/}. */
  public URI endpoint() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** The App Service managed-identity endpoint, the value for {@code IDENTITY_ENDPOINT}. */
  public URI identityEndpoint() {
    return endpoint().resolve(TOKEN_PATH);
  }

  /** The secret the identity endpoint expects, the value for {@code IDENTITY_HEADER}. */
  public String identityHeader() {
    return identityHeader;
  }

  /**
   * Lets the fake act as the Entra ID authority ({@code authority-host} = {@link #endpoint()}) for
   * one service principal: {@code POST /<tenant>/oauth2/v2.0/token} with the client-credentials
   * grant hands out {@link #accessToken()}.
   */
  public FakeArm servicePrincipal(String tenant, String clientId, String clientSecret) {
    this.servicePrincipal = new ServicePrincipal(tenant, clientId, clientSecret);
    return this;
  }

  /** The bearer token ARM accepts; the identity endpoint hands out the same one. */
  public String accessToken() {
    return accessToken;
  }

  /** The fake's self-signed certificate, for clients to trust. */
  public X509Certificate certificate() {
    return (X509Certificate) certificate;
  }

  /** A TLS context that trusts the fake's self-signed certificate. */
  public SSLContext clientSslContext() {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trustStore());
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, trust.getTrustManagers(), null);
      return tls;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context trusting the fake ARM", e);
    }
  }

  /**
   * Writes a PKCS12 trust store holding the fake's certificate, for {@code
   * -Djavax.net.ssl.trustStore=<path>} with {@link #TRUST_STORE_PASSWORD}.
   */
  public Path writeTrustStore(Path directory) {
    Path file = directory.resolve("fake-arm-trust.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      trustStore().store(out, TRUST_STORE_PASSWORD.toCharArray());
      return file;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot write the fake ARM trust store", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private KeyStore trustStore() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("fake-arm", certificate);
    return store;
  }

  /** Exactly this many items per list page before a {@code nextLink}. */
  public FakeArm pageSize(int pageSize) {
    return pageSizes(pageSize, pageSize);
  }

  /**
   * Items per list page, each page's size chosen (deterministically) between {@code min} and {@code
   * max}; the default, 50 to 300, is what Compute's listings send.
   */
  public FakeArm pageSizes(int min, int max) {
    if (min < 1) {
      throw new IllegalArgumentException("min page size (" + min + ") must be positive");
    }
    if (max < min) {
      throw new IllegalArgumentException(
          "max page size (" + max + ") must not be less than min (" + min + ")");
    }
    this.minPageSize = min;
    this.maxPageSize = max;
    return this;
  }

  /** What a VM listing does with {@code $expand=instanceView} but no {@code $filter}. */
  public FakeArm expandWithoutFilter(ExpandWithoutFilter mode) {
    this.expandWithoutFilter = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /** Whether the resource-group segment of ids keeps its case across listings. */
  public FakeArm groupCase(GroupCase mode) {
    this.groupCase = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /**
   * The reads left that the next response reports: {@code x-ms-ratelimit-remaining-subscription-
   * reads} and Compute's {@code HighCostGet3Min} in {@code x-ms-ratelimit-remaining-resource}. Each
   * request uses one.
   */
  public FakeArm rateLimitRemaining(long subscriptionReads, long computeHighCostGet3Min) {
    this.subscriptionReads.set(subscriptionReads);
    this.computeReads3Min.set(computeHighCostGet3Min);
    return this;
  }

  /**
   * Lets Resource Graph lag behind ARM for one VM, as its index does: it reports {@code powerState}
   * (e.g. {@code running} after the VM stopped), or, when null, has no row for the VM yet.
   */
  public FakeArm resourceGraphLags(String vmName, String powerState) {
    resourceGraphLag.put(vmName.toLowerCase(Locale.ROOT), Optional.ofNullable(powerState));
    return this;
  }

  /** Resource Graph has caught up with ARM again. */
  public FakeArm resourceGraphCaughtUp() {
    resourceGraphLag.clear();
    return this;
  }

  /**
   * What a VM listing does with {@code $expand=instanceView} and no {@code $filter}: Azure's
   * reference allows the expansion only with a {@code $filter}.
   */
  public enum ExpandWithoutFilter {
    /** Answer 400 with ARM's error body (the default). */
    REFUSE,
    /** Answer without instance views, as if the expansion had not been asked for. */
    IGNORE
  }

  /** The case of the resource-group segment of ids the fake sends. */
  public enum GroupCase {
    /** As the VM or scale set was added. */
    AS_GIVEN,
    /**
     * Upper case in every other listing (the default): ARM ids compare ignoring case, and ARM does
     * not keep their case stable between listings and refreshes.
     */
    FLIP
  }

  public FakeArm add(FakeVm... added) {
    vms.addAll(List.of(added));
    return this;
  }

  public FakeArm add(FakeScaleSet... added) {
    scaleSets.addAll(List.of(added));
    return this;
  }

  /**
   * Limits what the caller may read to these ARM scopes, as Reader role assignments would: {@code
   * /subscriptions/{s}} or {@code /subscriptions/{s}/resourceGroups/{g}}. A request outside all of
   * them is answered 403 {@code AuthorizationFailed} with ARM's error body. By default everything
   * is readable.
   */
  public FakeArm readableScopes(String... scopes) {
    for (String scope : scopes) {
      if (!scope.startsWith("/subscriptions/") || scope.endsWith("/")) {
        throw new IllegalArgumentException(
            "readable scope '"
                + scope
                + "' is not /subscriptions/{id} or /subscriptions/{id}/resourceGroups/{name}");
      }
    }
    this.readableScopes = List.of(scopes);
    return this;
  }

  /**
   * Declares an empty resource group. Groups holding a VM or scale set exist without this; a
   * listing in a group that does not exist is answered 404 {@code ResourceGroupNotFound}.
   */
  public FakeArm resourceGroup(String subscription, String name) {
    extraResourceGroups.add(groupKey(subscription, name));
    return this;
  }

  /**
   * Removes the VM with this ARM id (compared ignoring case), as a delete through ARM does; a VM
   * that changes (deallocated, started, retagged) is removed and added again as it is now.
   */
  public FakeArm remove(String vmId) {
    if (!vms.removeIf(vm -> vm.id().equalsIgnoreCase(vmId))) {
      throw new IllegalArgumentException("the fake ARM has no VM '" + vmId + "'");
    }
    return this;
  }

  /** Removes every VM and scale set. */
  public FakeArm clearWorld() {
    vms.clear();
    scaleSets.clear();
    return this;
  }

  /** Answers the next {@code times} requests whose path contains {@code pathPart} with a fault. */
  public FakeArm fail(String pathPart, Fault fault, int times) {
    faults.add(new FaultRule(pathPart.toLowerCase(Locale.ROOT), fault, new AtomicInteger(times)));
    return this;
  }

  /** Answers every request whose path contains {@code pathPart} with a fault. */
  public FakeArm failAlways(String pathPart, Fault fault) {
    return fail(pathPart, fault, Integer.MAX_VALUE);
  }

  /** Every request received so far, in arrival order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** The ARM requests (not the identity endpoint's) received so far. */
  public List<RecordedRequest> armRequests() {
    return requests.stream().filter(RecordedRequest::isArm).toList();
  }

  public void clearRequests() {
    requests.clear();
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      answer(exchange);
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      String rawQuery = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
      Map<String, List<String>> headers = new LinkedHashMap<>();
      exchange
          .getRequestHeaders()
          .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
      List<String> sentCorrelation = headers.get("x-ms-correlation-request-id");
      RecordedRequest request =
          new RecordedRequest(
              exchange.getRequestMethod(),
              path,
              rawQuery,
              headers,
              Instant.now(),
              UUID.randomUUID().toString(),
              sentCorrelation == null || sentCorrelation.isEmpty()
                  ? UUID.randomUUID().toString()
                  : sentCorrelation.get(0));
      requests.add(request);
      exchange.getResponseHeaders().set("x-ms-request-id", request.requestId());
      exchange
          .getResponseHeaders()
          .set("x-ms-correlation-request-id", request.correlationRequestId());
      if (request.isArm()) {
        putRateLimits(exchange, path);
      }
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);

      Optional<Fault> fault = takeFault(path);
      if (fault.isPresent()) {
        sendFault(exchange, fault.get());
        return;
      }
      if (path.equals(TOKEN_PATH)) {
        sendToken(exchange, request, parseQuery(rawQuery));
        return;
      }
      Matcher aad = AAD_TOKEN.matcher(path);
      if (aad.matches() && exchange.getRequestMethod().equals("POST")) {
        sendClientCredentialsToken(exchange, aad.group(1), parseQuery(body));
        return;
      }
      if (!request.header("Authorization").equals(Optional.of("Bearer " + accessToken))) {
        send(
            exchange,
            401,
            Fault.armError("AuthenticationFailed", "Authentication failed. Bad bearer token."));
        return;
      }
      if (RESOURCE_GRAPH.matcher(path).matches() && exchange.getRequestMethod().equals("POST")) {
        // Resource Graph needs no role of its own: it answers with the rows the caller may read.
        resourceGraph(exchange, body);
        return;
      }
      Optional<String> refused = refusedScope(path);
      if (refused.isPresent()) {
        send(exchange, 403, authorizationFailed(path, refused.get()));
        return;
      }
      Matcher inGroup = RESOURCE_GROUP_PATH.matcher(path + "/");
      if (inGroup.find() && !resourceGroupExists(inGroup.group(1), inGroup.group(2))) {
        send(
            exchange,
            404,
            Fault.armError(
                "ResourceGroupNotFound",
                "Resource group '" + inGroup.group(2) + "' could not be found."));
        return;
      }
      Optional<String> contractViolation = contractViolation(path, parseQuery(rawQuery));
      if (contractViolation.isPresent()) {
        send(exchange, 400, contractViolation.get());
        return;
      }
      Optional<String> flexibleListing = flexibleInstanceListing(path);
      if (flexibleListing.isPresent()) {
        send(
            exchange,
            409,
            Fault.armError(
                "OperationNotAllowed",
                "Operation 'VMScaleSetVMs.List' is not allowed on Virtual Machine Scale Set '"
                    + flexibleListing.get()
                    + "' since it is in Flexible orchestration mode. Use the Virtual Machines"
                    + " API on its VMs instead."));
        return;
      }
      Optional<List<ObjectNode>> items = list(path, parseQuery(rawQuery));
      if (items.isEmpty()) {
        send(
            exchange,
            404,
            Fault.armError("ResourceNotFound", "The fake ARM does not serve " + path + "."));
        return;
      }
      sendPage(exchange, path, rawQuery, items.get());
    } catch (SkipTokenException e) {
      send(exchange, 400, Fault.armError("InvalidSkipToken", e.getMessage()));
    } catch (RuntimeException e) {
      send(exchange, 500, Fault.armError("FakeArmBug", String.valueOf(e)));
    }
  }

  private Optional<Fault> takeFault(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    for (FaultRule rule : faults) {
      if (lower.contains(rule.pathPart) && rule.remaining.getAndDecrement() > 0) {
        return Optional.of(rule.fault);
      }
    }
    return Optional.empty();
  }

  private void sendFault(HttpExchange exchange, Fault fault) throws IOException {
    if (fault.delivery() == Fault.Delivery.HANG) {
      try {
        closing.await(5, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    fault.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    send(exchange, fault.status(), fault.body());
  }

  private void sendToken(HttpExchange exchange, RecordedRequest request, Map<String, String> query)
      throws IOException {
    if (!request.header("X-IDENTITY-HEADER").equals(Optional.of(identityHeader))) {
      send(exchange, 401, "{\"error\":\"invalid_request\",\"error_description\":\"bad header\"}");
      return;
    }
    ObjectNode token = JsonNodeFactory.instance.objectNode();
    token.put("access_token", accessToken);
    token.put("expires_on", Long.toString(Instant.now().plusSeconds(3600).getEpochSecond()));
    token.put("resource", query.getOrDefault("resource", ""));
    token.put("token_type", "Bearer");
    token.put("client_id", query.getOrDefault("client_id", "00000000-0000-0000-0000-000000000000"));
    send(exchange, 200, token.toString());
  }

  private void sendClientCredentialsToken(
      HttpExchange exchange, String tenant, Map<String, String> form) throws IOException {
    ServicePrincipal principal = servicePrincipal;
    if (principal == null
        || !principal.tenant().equals(tenant)
        || !principal.clientId().equals(form.get("client_id"))
        || !principal.clientSecret().equals(form.get("client_secret"))
        || !"client_credentials".equals(form.get("grant_type"))) {
      send(
          exchange,
          401,
          "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client"
              + " secret provided.\"}");
      return;
    }
    ObjectNode token = JsonNodeFactory.instance.objectNode();
    token.put("token_type", "Bearer");
    token.put("expires_in", 3600);
    token.put("ext_expires_in", 3600);
    token.put("access_token", accessToken);
    send(exchange, 200, token.toString());
  }

  private Optional<List<ObjectNode>> list(String path, Map<String, String> query) {
    Matcher m;
    if ((m = VMS.matcher(path)).matches()) {
      String subscription = m.group(1);
      String group = m.group(2);
      // statusOnly exists only on the subscription-wide listing; $expand=instanceView adds the
      // instance view to the full model.
      boolean statusOnly = group == null && "true".equalsIgnoreCase(query.get("statusOnly"));
      String filter = query.get("$filter");
      // Without the documented $filter, ARM either refuses the expansion (see
      // contractViolation) or leaves the instance view out.
      boolean expand = "instanceView".equalsIgnoreCase(query.get("$expand")) && filter != null;
      Optional<String> flexibleSet =
          Optional.ofNullable(filter)
              .map(FLEXIBLE_FILTER::matcher)
              .filter(Matcher::matches)
              .map(f -> f.group(1));
      return Optional.of(
          vms.stream()
              .filter(vm -> inScope(vm.subscription(), vm.resourceGroup(), subscription, group))
              .filter(
                  vm ->
                      flexibleSet.isEmpty()
                          || vm.flexibleScaleSet()
                              .map(
                                  ss ->
                                      flexibleScaleSetId(vm, ss)
                                          .equalsIgnoreCase(flexibleSet.get()))
                              .orElse(false))
              .map(vm -> statusOnly ? vmStatus(vm) : vm(vm, expand))
              .toList());
    }
    if ((m = SCALE_SETS.matcher(path)).matches()) {
      String subscription = m.group(1);
      String group = m.group(2);
      return Optional.of(
          scaleSets.stream()
              .filter(ss -> inScope(ss.subscription(), ss.resourceGroup(), subscription, group))
              .map(this::scaleSet)
              .toList());
    }
    if ((m = NICS.matcher(path)).matches()) {
      String subscription = m.group(1);
      String group = m.group(2);
      List<ObjectNode> nics = new ArrayList<>();
      for (FakeVm vm : vms) {
        for (FakeNic nic : vm.nics()) {
          if (inScope(vm.subscription(), nicGroup(vm, nic), subscription, group)) {
            nics.add(nic(vm, nic));
          }
        }
      }
      return Optional.of(nics);
    }
    if ((m = PIPS.matcher(path)).matches()) {
      return Optional.of(publicIps(m.group(1), m.group(2)));
    }
    Optional<List<ObjectNode>> scaleSetList = scaleSetList(path, query);
    if (scaleSetList.isPresent()) {
      return scaleSetList;
    }
    return Optional.empty();
  }

  /**
   * Whether a resource is in a listing's scope; {@code group} is null for the whole subscription.
   */
  private static boolean inScope(
      String resourceSubscription, String resourceGroup, String subscription, String group) {
    return resourceSubscription.equalsIgnoreCase(subscription)
        && (group == null || resourceGroup.equalsIgnoreCase(group));
  }

  private boolean resourceGroupExists(String subscription, String group) {
    return extraResourceGroups.contains(groupKey(subscription, group))
        || group.equalsIgnoreCase(UNALLOCATED_IP_GROUP)
        || vms.stream().anyMatch(vm -> inScope(subscription, group, vm))
        || vms.stream()
            .anyMatch(
                vm ->
                    vm.nics().stream()
                        .anyMatch(
                            nic ->
                                inScope(vm.subscription(), nicGroup(vm, nic), subscription, group)
                                    || inScope(
                                        vm.subscription(),
                                        publicIpGroup(vm, nic),
                                        subscription,
                                        group)))
        || scaleSets.stream()
            .anyMatch(ss -> inScope(ss.subscription(), ss.resourceGroup(), subscription, group));
  }

  private static boolean inScope(String subscription, String group, FakeVm vm) {
    return inScope(vm.subscription(), vm.resourceGroup(), subscription, group);
  }

  private static String groupKey(String subscription, String group) {
    return (subscription + "/" + group).toLowerCase(Locale.ROOT);
  }

  /** The scope of a request no readable scope covers, or empty when it may be read. */
  private Optional<String> refusedScope(String path) {
    List<String> readable = readableScopes;
    String lower = path.toLowerCase(Locale.ROOT);
    if (readable == null
        || readable.stream()
            .map(scope -> scope.toLowerCase(Locale.ROOT))
            .anyMatch(scope -> lower.equals(scope) || lower.startsWith(scope + "/"))) {
      return Optional.empty();
    }
    int providers = lower.lastIndexOf("/providers/");
    return Optional.of(providers < 0 ? path : path.substring(0, providers));
  }

  /**
   * ARM's 403 body, e.g. {@code does not have authorization to perform action
   * 'Microsoft.Compute/virtualMachines/read' over scope '/subscriptions/...'}.
   */
  private static String authorizationFailed(String path, String scope) {
    int providers = path.toLowerCase(Locale.ROOT).lastIndexOf("/providers/");
    String action = "*/read";
    if (providers >= 0) {
      String[] segments = path.substring(providers + "/providers/".length()).split("/");
      // namespace, type, name, type, name, ...: the action names the namespace and the types.
      StringBuilder types = new StringBuilder(segments[0]);
      for (int i = 1; i < segments.length; i += 2) {
        types.append('/').append(segments[i]);
      }
      action = types + "/read";
    }
    String client = "00000000-0000-0000-0000-0000000000c1";
    return Fault.armError(
        "AuthorizationFailed",
        "The client '"
            + client
            + "' with object id '"
            + client
            + "' does not have authorization to perform action '"
            + action
            + "' over scope '"
            + scope
            + "' or the scope is invalid. If access was recently granted, please refresh your"
            + " credentials.");
  }

  private Optional<List<ObjectNode>> scaleSetList(String path, Map<String, String> query) {
    for (Pattern pattern : List.of(SCALE_SET_VMS, SCALE_SET_NICS, SCALE_SET_PIPS)) {
      Matcher m = pattern.matcher(path);
      if (!m.matches()) {
        continue;
      }
      Optional<FakeScaleSet> found =
          scaleSets.stream()
              .filter(
                  ss ->
                      ss.subscription().equalsIgnoreCase(m.group(1))
                          && ss.resourceGroup().equalsIgnoreCase(m.group(2))
                          && ss.name().equalsIgnoreCase(m.group(3)))
              .findFirst();
      if (found.isEmpty()) {
        return Optional.empty();
      }
      FakeScaleSet ss = found.get();
      List<ObjectNode> items = new ArrayList<>();
      for (FakeScaleSet.Instance instance : ss.instances()) {
        if (pattern == SCALE_SET_VMS) {
          boolean expand = "instanceView".equalsIgnoreCase(query.get("$expand"));
          items.add(scaleSetVm(ss, instance, expand));
        } else if (pattern == SCALE_SET_NICS) {
          items.add(scaleSetNic(ss, instance));
        } else if (instance.publicIp() != null) {
          items.add(scaleSetPublicIp(ss, instance));
        }
      }
      return Optional.of(items);
    }
    return Optional.empty();
  }

  private void sendPage(HttpExchange exchange, String path, String rawQuery, List<ObjectNode> items)
      throws IOException {
    Map<String, String> query = parseQuery(rawQuery);
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
                      java.util.Arrays.stream(rawQuery.split("&"))
                          .filter(
                              p -> !p.startsWith("$skiptoken=") && !p.startsWith("%24skiptoken="))
                          .toList())
                  + "&";
      String lastId = items.get(end - 1).path("id").asText("");
      page.put(
          "nextLink",
          endpoint().resolve(path) + "?" + kept + "$skiptoken=" + issueSkipToken(end, lastId));
    }
    send(exchange, 200, page.toString());
  }

  /**
   * An opaque token like ARM's: base64 and the last id in ARM's own spelling after a {@code !}, so
   * it holds {@code !} and {@code /} that a client must pass back untouched.
   */
  private String issueSkipToken(int offset, String lastId) {
    String token =
        Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
            + "!"
            + lastId.replaceFirst("(?i)^/subscriptions/", "/Subscriptions/");
    skipTokens.put(token, offset);
    return token;
  }

  private int offsetOf(String token) {
    if (token == null) {
      return 0;
    }
    Integer offset = skipTokens.get(token);
    if (offset == null) {
      throw new SkipTokenException("The skip token '" + token + "' is not valid.");
    }
    return offset;
  }

  /** The same page always has the same size, so a test run is repeatable. */
  private int pageSizeAt(String path, int offset) {
    int span = maxPageSize - minPageSize + 1;
    int hash = (path.toLowerCase(Locale.ROOT) + "#" + offset).hashCode();
    return minPageSize + Math.floorMod(hash * 31 + 17, span);
  }

  private boolean flipThisListing() {
    return groupCase == GroupCase.FLIP && listingCount.getAndIncrement() % 2 == 1;
  }

  /** The item with every id's resource-group segment in upper case, when {@code flip}. */
  private static JsonNode cased(JsonNode item, boolean flip) {
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

  /**
   * The 400 ARM answers a request that breaks the documented contract with, if this one does:
   * {@code $expand=instanceView} on a VM listing without {@code $filter}, or an unknown filter.
   */
  private Optional<String> contractViolation(String path, Map<String, String> query) {
    if (!VMS.matcher(path).matches()) {
      return Optional.empty();
    }
    String filter = query.get("$filter");
    if (filter != null && !FLEXIBLE_FILTER.matcher(filter).matches()) {
      return Optional.of(
          Fault.armError(
              "InvalidParameter",
              "The value '" + filter + "' of parameter '$filter' is not supported."));
    }
    if (filter == null
        && "instanceView".equalsIgnoreCase(query.get("$expand"))
        && expandWithoutFilter == ExpandWithoutFilter.REFUSE) {
      return Optional.of(
          Fault.armError(
              "BadRequest",
              "Expand Instance View is only supported when Virtual Machine Scale Set resource"
                  + " filter is applied."));
    }
    return Optional.empty();
  }

  /** The name of the flexible scale set whose instances this path lists, if it does. */
  private Optional<String> flexibleInstanceListing(String path) {
    Matcher m = SCALE_SET_VMS.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    return scaleSets.stream()
        .filter(
            ss ->
                ss.orchestration() == FakeScaleSet.Orchestration.FLEXIBLE
                    && ss.subscription().equalsIgnoreCase(m.group(1))
                    && ss.resourceGroup().equalsIgnoreCase(m.group(2))
                    && ss.name().equalsIgnoreCase(m.group(3)))
        .map(FakeScaleSet::name)
        .findFirst();
  }

  /** ARM's read budget headers; each request uses one read of each budget it counts against. */
  private void putRateLimits(HttpExchange exchange, String path) {
    if (RESOURCE_GRAPH.matcher(path).matches()) {
      exchange.getResponseHeaders().set("x-ms-user-quota-remaining", "14");
      exchange.getResponseHeaders().set("x-ms-user-quota-resets-after", "00:00:05");
      return;
    }
    exchange
        .getResponseHeaders()
        .set(
            "x-ms-ratelimit-remaining-subscription-reads",
            Long.toString(decrement(subscriptionReads)));
    if (path.toLowerCase(Locale.ROOT).contains("/providers/microsoft.compute/")) {
      exchange
          .getResponseHeaders()
          .set(
              "x-ms-ratelimit-remaining-resource",
              "Microsoft.Compute/HighCostGet3Min;"
                  + decrement(computeReads3Min)
                  + ",Microsoft.Compute/HighCostGet30Min;"
                  + decrement(computeReads30Min));
    }
  }

  private static long decrement(AtomicLong remaining) {
    return remaining.updateAndGet(n -> Math.max(0, n - 1));
  }

  /**
   * {@code POST /providers/Microsoft.ResourceGraph/resources}: evaluates the one query shape the
   * provider sends over the VMs of the requested subscriptions that the caller may read, and pages
   * by {@code $skipToken} ({@code $top} rows, 100 by default, at most 1,000).
   */
  private void resourceGraph(HttpExchange exchange, String body) throws IOException {
    JsonNode request = JSON.readTree(body.isEmpty() ? "{}" : body);
    String query = request.path("query").asText("").strip();
    Matcher shape = RESOURCE_GRAPH_QUERY.matcher(query);
    if (!shape.matches()) {
      send(
          exchange,
          400,
          Fault.armError(
              "BadRequest",
              "The fake Resource Graph evaluates only the azure provider's power-state query,"
                  + " not: "
                  + query));
      return;
    }
    List<String> subscriptions = new ArrayList<>();
    request.path("subscriptions").forEach(sub -> subscriptions.add(sub.asText()));
    if (subscriptions.isEmpty()) {
      send(exchange, 400, Fault.armError("BadRequest", "Please specify subscriptions."));
      return;
    }
    List<String> groups = new ArrayList<>();
    if (shape.group(1) != null) {
      Matcher quoted = QUOTED.matcher(shape.group(1));
      while (quoted.find()) {
        groups.add(quoted.group(1));
      }
    }
    List<ObjectNode> rows = new ArrayList<>();
    for (FakeVm vm : vms) {
      boolean wanted =
          subscriptions.stream().anyMatch(vm.subscription()::equalsIgnoreCase)
              && (shape.group(1) == null
                  || groups.stream().anyMatch(vm.resourceGroup()::equalsIgnoreCase))
              && refusedScope(vm.id()).isEmpty();
      Optional<String> lag = resourceGraphLag.get(vm.name().toLowerCase(Locale.ROOT));
      if (!wanted || (lag != null && lag.isEmpty())) {
        continue;
      }
      Optional<String> state = lag != null ? lag : vm.powerState();
      ObjectNode row = JsonNodeFactory.instance.objectNode();
      row.put("id", vm.id());
      row.put("powerState", state.map(code -> "PowerState/" + code).orElse(""));
      rows.add(row);
    }
    JsonNode options = request.path("options");
    int top = Math.min(1000, Math.max(1, options.path("$top").asInt(100)));
    int skip =
        offsetOf(options.hasNonNull("$skipToken") ? options.get("$skipToken").asText() : null);
    int end = Math.min(rows.size(), skip + top);
    ObjectNode response = JsonNodeFactory.instance.objectNode();
    response.put("totalRecords", rows.size());
    response.put("count", end - Math.min(skip, end));
    response.put("resultTruncated", "false");
    if (end < rows.size()) {
      response.put("$skipToken", issueSkipToken(end, rows.get(end - 1).path("id").asText()));
    }
    ArrayNode data = response.putArray("data");
    boolean flip = flipThisListing();
    rows.subList(Math.min(skip, end), end).forEach(row -> data.add(cased(row, flip)));
    response.putArray("facets");
    send(exchange, 200, response.toString());
  }

  /** A {@code $skiptoken} the fake did not issue. */
  private static final class SkipTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SkipTokenException(String message) {
      super(message);
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.put(key, value);
    }
    return query;
  }

  // ---- Rendering: Azure's example objects, copied and filled in ----

  private ObjectNode vm(FakeVm vm, boolean withInstanceView) {
    ObjectNode node = templates.vm.deepCopy();
    node.put("id", vm.id());
    node.put("name", vm.name());
    node.put("location", vm.location());
    putTags(node, vm.tags());
    vm.zone().ifPresent(zone -> node.putArray("zones").add(zone));
    ObjectNode properties = (ObjectNode) node.get("properties");
    properties.remove("availabilitySet");
    properties.put("provisioningState", vm.provisioningState());
    properties.put(
        "vmId", UUID.nameUUIDFromBytes(vm.id().getBytes(StandardCharsets.UTF_8)).toString());
    properties.with("osProfile").put("computerName", vm.name());
    ArrayNode nics = properties.with("networkProfile").putArray("networkInterfaces");
    for (FakeNic nic : vm.nics()) {
      ObjectNode ref = nics.addObject();
      ref.put("id", nicId(vm, nic));
      ref.putObject("properties").put("primary", nic.primary());
    }
    if (withInstanceView) {
      ObjectNode instanceView = templates.vmInstanceView.deepCopy();
      instanceView.put("computerName", vm.name());
      setStatuses(instanceView, vm.provisioningState(), vm.powerState());
      properties.set("instanceView", instanceView);
    }
    vm.flexibleScaleSet()
        .ifPresent(
            ss ->
                properties
                    .putObject("virtualMachineScaleSet")
                    .put("id", flexibleScaleSetId(vm, ss)));
    return node;
  }

  private ObjectNode vmStatus(FakeVm vm) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("name", vm.name());
    node.put("id", vm.id());
    node.put("type", "Microsoft.Compute/virtualMachines");
    node.put("location", vm.location());
    ObjectNode instanceView = templates.vmInstanceView.deepCopy();
    instanceView.put("computerName", vm.name());
    setStatuses(instanceView, vm.provisioningState(), vm.powerState());
    ObjectNode properties = node.putObject("properties");
    properties.put(
        "vmId", UUID.nameUUIDFromBytes(vm.id().getBytes(StandardCharsets.UTF_8)).toString());
    properties.set("instanceView", instanceView);
    return node;
  }

  private static void setStatuses(
      ObjectNode instanceView, String provisioningState, Optional<String> powerState) {
    ArrayNode statuses = instanceView.putArray("statuses");
    ObjectNode provisioning = statuses.addObject();
    String provisioned = provisioningState.toLowerCase(Locale.ROOT);
    provisioning.put("code", "ProvisioningState/" + provisioned);
    provisioning.put("level", "Info");
    provisioning.put("displayStatus", "Provisioning " + provisioned);
    powerState.ifPresent(
        state -> {
          ObjectNode power = statuses.addObject();
          power.put("code", "PowerState/" + state);
          power.put("level", "Info");
          power.put("displayStatus", "VM " + state);
        });
  }

  private ObjectNode nic(FakeVm vm, FakeNic nic) {
    ObjectNode node = templates.nic.deepCopy();
    String nicId = nicId(vm, nic);
    node.put("id", nicId);
    node.put("name", nic.name());
    node.put("location", vm.location());
    ObjectNode properties = (ObjectNode) node.get("properties");
    ObjectNode ipTemplate = (ObjectNode) properties.get("ipConfigurations").get(0);
    ArrayNode ipConfigurations = properties.putArray("ipConfigurations");
    for (FakeIpConfig config : nic.ipConfigs()) {
      ObjectNode ip = ipTemplate.deepCopy();
      String ipConfigId = nicId + "/ipConfigurations/" + config.name();
      ip.put("name", config.name());
      ip.put("id", ipConfigId);
      ObjectNode ipProperties = (ObjectNode) ip.get("properties");
      config
          .privateIp()
          .ifPresentOrElse(
              address -> ipProperties.put("privateIPAddress", address),
              () -> ipProperties.remove("privateIPAddress"));
      if (config.publicIp().isPresent()) {
        ipProperties.putObject("publicIPAddress").put("id", publicIpId(vm, nic, config));
      } else {
        ipProperties.remove("publicIPAddress");
      }
      ipProperties.put("primary", config.primary());
      ipConfigurations.add(ip);
    }
    properties.put("primary", nic.primary());
    properties.putObject("virtualMachine").put("id", vm.id());
    return node;
  }

  private List<ObjectNode> publicIps(String subscription, String group) {
    List<ObjectNode> ips = new ArrayList<>();
    // Azure's example of an unallocated dynamic IP (no ipAddress), in each subscription's rg-other.
    ObjectNode unallocated = templates.publicIp.deepCopy();
    unallocated.put("name", "unallocated-ip");
    unallocated.put(
        "id",
        "/subscriptions/"
            + subscription
            + "/resourceGroups/"
            + UNALLOCATED_IP_GROUP
            + "/providers/Microsoft.Network/publicIPAddresses/unallocated-ip");
    ((ObjectNode) unallocated.get("properties")).remove("ipAddress");
    if (group == null || group.equalsIgnoreCase(UNALLOCATED_IP_GROUP)) {
      ips.add(unallocated);
    }
    for (FakeVm vm : vms) {
      for (FakeNic nic : vm.nics()) {
        if (!inScope(vm.subscription(), publicIpGroup(vm, nic), subscription, group)) {
          continue;
        }
        for (FakeIpConfig config : nic.ipConfigs()) {
          config
              .publicIp()
              .ifPresent(
                  address -> {
                    ObjectNode node = templates.publicIp.deepCopy();
                    node.put("id", publicIpId(vm, nic, config));
                    node.put("name", nic.name() + "-" + config.name() + "-pip");
                    node.put("location", vm.location());
                    ObjectNode properties = (ObjectNode) node.get("properties");
                    properties.put("ipAddress", address);
                    properties.remove("dnsSettings");
                    properties
                        .putObject("ipConfiguration")
                        .put("id", nicId(vm, nic) + "/ipConfigurations/" + config.name());
                    ips.add(node);
                  });
        }
      }
    }
    return ips;
  }

  private ObjectNode scaleSet(FakeScaleSet ss) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("id", ss.id());
    node.put("name", ss.name());
    node.put("type", "Microsoft.Compute/virtualMachineScaleSets");
    node.put("location", ss.location());
    putTags(node, ss.tags());
    ObjectNode sku = node.putObject("sku");
    sku.put("name", "Standard_D2s_v3");
    sku.put("tier", "Standard");
    sku.put("capacity", ss.instances().size());
    ObjectNode properties = node.putObject("properties");
    properties.put("orchestrationMode", ss.orchestration().wire());
    properties.put("provisioningState", "Succeeded");
    properties.put(
        "uniqueId", UUID.nameUUIDFromBytes(ss.id().getBytes(StandardCharsets.UTF_8)).toString());
    if (ss.orchestration() == FakeScaleSet.Orchestration.UNIFORM) {
      properties.putObject("upgradePolicy").put("mode", "Manual");
    }
    return node;
  }

  private ObjectNode scaleSetVm(FakeScaleSet ss, FakeScaleSet.Instance instance, boolean expand) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("id", scaleSetVmId(ss, instance));
    node.put("name", ss.name() + "_" + instance.instanceId());
    node.put("type", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines");
    node.put("location", ss.location());
    node.put("instanceId", instance.instanceId());
    if (instance.zone() != null) {
      node.putArray("zones").add(instance.zone());
    }
    ObjectNode properties = node.putObject("properties");
    properties.put("latestModelApplied", true);
    properties.put("provisioningState", instance.provisioningState());
    ObjectNode ref =
        properties.putObject("networkProfile").putArray("networkInterfaces").addObject();
    ref.put("id", scaleSetNicId(ss, instance));
    ref.putObject("properties").put("primary", true);
    if (expand) {
      ObjectNode instanceView = templates.scaleSetVmInstanceView.deepCopy();
      setStatuses(
          instanceView, instance.provisioningState(), Optional.ofNullable(instance.powerState()));
      properties.set("instanceView", instanceView);
    }
    return node;
  }

  private ObjectNode scaleSetNic(FakeScaleSet ss, FakeScaleSet.Instance instance) {
    ObjectNode node = templates.scaleSetNic.deepCopy();
    String nicId = scaleSetNicId(ss, instance);
    node.put("id", nicId);
    node.put("name", ss.name() + "-nic");
    ObjectNode properties = (ObjectNode) node.get("properties");
    ObjectNode ip = (ObjectNode) properties.get("ipConfigurations").get(0);
    ip.put("name", "ipconfig1");
    ip.put("id", nicId + "/ipConfigurations/ipconfig1");
    ObjectNode ipProperties = (ObjectNode) ip.get("properties");
    ipProperties.put("privateIPAddress", instance.privateIp());
    ipProperties.remove("loadBalancerInboundNatRules");
    if (instance.publicIp() != null) {
      ipProperties.putObject("publicIPAddress").put("id", scaleSetPublicIpId(ss, instance));
    } else {
      ipProperties.remove("publicIPAddress");
    }
    properties.putObject("virtualMachine").put("id", scaleSetVmId(ss, instance));
    return node;
  }

  private ObjectNode scaleSetPublicIp(FakeScaleSet ss, FakeScaleSet.Instance instance) {
    ObjectNode node = templates.publicIp.deepCopy();
    node.put("id", scaleSetPublicIpId(ss, instance));
    node.put("name", "pub1");
    node.put("location", ss.location());
    ObjectNode properties = (ObjectNode) node.get("properties");
    properties.put("ipAddress", instance.publicIp());
    properties.remove("dnsSettings");
    properties
        .putObject("ipConfiguration")
        .put("id", scaleSetNicId(ss, instance) + "/ipConfigurations/ipconfig1");
    return node;
  }

  private static void putTags(ObjectNode node, Map<String, String> tags) {
    if (tags.isEmpty()) {
      node.remove("tags");
      return;
    }
    ObjectNode tagNode = node.putObject("tags");
    tags.forEach(tagNode::put);
  }

  private static String nicGroup(FakeVm vm, FakeNic nic) {
    return nic.resourceGroup().orElse(vm.resourceGroup());
  }

  private static String publicIpGroup(FakeVm vm, FakeNic nic) {
    return nic.publicIpResourceGroup().orElse(nicGroup(vm, nic));
  }

  private static String flexibleScaleSetId(FakeVm vm, String scaleSet) {
    return "/subscriptions/"
        + vm.subscription()
        + "/resourceGroups/"
        + vm.resourceGroup()
        + "/providers/Microsoft.Compute/virtualMachineScaleSets/"
        + scaleSet;
  }

  private static String nicId(FakeVm vm, FakeNic nic) {
    return "/subscriptions/"
        + vm.subscription()
        + "/resourceGroups/"
        + nicGroup(vm, nic)
        + "/providers/Microsoft.Network/networkInterfaces/"
        + nic.name();
  }

  private static String publicIpId(FakeVm vm, FakeNic nic, FakeIpConfig config) {
    return "/subscriptions/"
        + vm.subscription()
        + "/resourceGroups/"
        + publicIpGroup(vm, nic)
        + "/providers/Microsoft.Network/publicIPAddresses/"
        + nic.name()
        + "-"
        + config.name()
        + "-pip";
  }

  private static String scaleSetVmId(FakeScaleSet ss, FakeScaleSet.Instance instance) {
    return ss.id() + "/virtualMachines/" + instance.instanceId();
  }

  private static String scaleSetNicId(FakeScaleSet ss, FakeScaleSet.Instance instance) {
    return scaleSetVmId(ss, instance) + "/networkInterfaces/" + ss.name() + "-nic";
  }

  private static String scaleSetPublicIpId(FakeScaleSet ss, FakeScaleSet.Instance instance) {
    return scaleSetNicId(ss, instance) + "/ipConfigurations/ipconfig1/publicIPAddresses/pub1";
  }

  private record ServicePrincipal(String tenant, String clientId, String clientSecret) {}

  private record FaultRule(String pathPart, Fault fault, AtomicInteger remaining) {}
}
