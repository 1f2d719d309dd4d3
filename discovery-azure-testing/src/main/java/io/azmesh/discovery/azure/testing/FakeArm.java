package io.azmesh.discovery.azure.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * must carry {@code Authorization: Bearer <accessToken()>} (a token the fake issued for another
 * audience is refused 401 {@code InvalidAuthenticationTokenAudience}) and an {@code api-version}
 * (400 {@code MissingApiVersionParameter} without), and may be limited to {@link
 * #readableScopes(String...)} as role assignments limit a real identity. Faults can be injected for
 * a path or for one page of a listing ({@link #failPage}).
 *
 * <p>By default the fake holds clients to Azure's documented contract, not to what is convenient:
 * {@code $expand=instanceView} on a VM listing without the documented {@code $filter} is refused
 * ({@link ExpandWithoutFilter}), pages hold 50 to 300 items and link the next one with an opaque
 * {@code $skiptoken}, the resource-group segment of ids changes case from one listing to the next
 * ({@link GroupCase}), a flexible scale set's instance listing answers 409, and every response
 * carries ARM's request ids and {@code x-ms-ratelimit-remaining-*} headers.
 *
 * <p>This class is the entry point and routes each request; what it fakes lives next to it: {@link
 * ComputeListings} (VMs, scale sets, scale-set VMs), {@link NetworkListings} (NICs, public IPs),
 * {@link ResourceGraph}, {@link IdentityEndpoints} (Entra ID and managed-identity tokens), {@link
 * FaultRules} and {@link RateLimits} (injected faults, throttling headers), on the shared {@link
 * FakeWorld} (what exists and who may read it) and {@link Paging}.
 */
public final class FakeArm implements AutoCloseable {
  /** Password of the trust store written by {@link #writeTrustStore(Path)}. */
  public static final String TRUST_STORE_PASSWORD = "fake-arm-trust";

  private static final String KEYSTORE = "fake-arm.p12";
  private static final char[] KEYSTORE_PASSWORD = "fake-arm-only".toCharArray();
  private static final Pattern RESOURCE_GROUP_PATH =
      Pattern.compile(ComputeListings.SUB + "/resourceGroups/([^/]+)/", Pattern.CASE_INSENSITIVE);

  private final HttpsServer server;
  private final ExecutorService executor;
  private final Certificate certificate;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final FakeWorld world = new FakeWorld();
  private final Paging paging = new Paging();
  private final IdentityEndpoints identity = new IdentityEndpoints();
  private final FaultRules faults = new FaultRules(closing);
  private final RateLimits rateLimits = new RateLimits();
  private final ComputeListings compute;
  private final NetworkListings network;
  private final ResourceGraph resourceGraph = new ResourceGraph(world, paging);

  private FakeArm(HttpsServer server, ExecutorService executor, Certificate certificate) {
    this.server = server;
    this.executor = executor;
    this.certificate = certificate;
    ArmTemplates templates = new ArmTemplates();
    this.compute = new ComputeListings(templates, world);
    this.network = new NetworkListings(templates, world, compute);
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
      fake.identity.armAudience(fake.endpoint().toString());
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
    return endpoint().resolve(IdentityEndpoints.TOKEN_PATH);
  }

  /** The secret the identity endpoint expects, the value for {@code IDENTITY_HEADER}. */
  public String identityHeader() {
    return identity.identityHeader;
  }

  /**
   * Lets the fake act as the Entra ID authority ({@code authority-host} = {@link #endpoint()}) for
   * one service principal: {@code POST /<tenant>/oauth2/v2.0/token} with the client-credentials
   * grant hands out {@link #accessToken()}.
   */
  public FakeArm servicePrincipal(String tenant, String clientId, String clientSecret) {
    identity.servicePrincipal(tenant, clientId, clientSecret);
    return this;
  }

  /**
   * The bearer token ARM accepts; the token endpoints hand out the same one when asked for the ARM
   * audience (this fake's {@link #endpoint()}, as {@code resource} or as scope {@code
   * <endpoint>/.default}).
   */
  public String accessToken() {
    return identity.accessToken;
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
    paging.pageSizes(min, max);
    return this;
  }

  /** What a VM listing does with {@code $expand=instanceView} but no {@code $filter}. */
  public FakeArm expandWithoutFilter(ExpandWithoutFilter mode) {
    compute.expandWithoutFilter(mode);
    return this;
  }

  /** Whether the resource-group segment of ids keeps its case across listings. */
  public FakeArm groupCase(GroupCase mode) {
    paging.groupCase(mode);
    return this;
  }

  /**
   * The reads left that the next response reports: {@code x-ms-ratelimit-remaining-subscription-
   * reads} and Compute's {@code HighCostGet3Min} in {@code x-ms-ratelimit-remaining-resource}. Each
   * request uses one.
   */
  public FakeArm rateLimitRemaining(long subscriptionReads, long computeHighCostGet3Min) {
    rateLimits.remaining(subscriptionReads, computeHighCostGet3Min);
    return this;
  }

  /**
   * Lets Resource Graph lag behind ARM for one VM, as its index does: it reports {@code powerState}
   * (e.g. {@code running} after the VM stopped), or, when null, has no row for the VM yet.
   */
  public FakeArm resourceGraphLags(String vmName, String powerState) {
    resourceGraph.lags(vmName, powerState);
    return this;
  }

  /**
   * Resource Graph answers at most this many rows a page (its own maximum, and the default, is
   * 1,000), so a test can page it with a few VMs.
   */
  public FakeArm resourceGraphPageSize(int rows) {
    resourceGraph.maxPageSize(rows);
    return this;
  }

  /**
   * Resource Graph's per-user quota: {@code queries} (each page is one) per {@code window},
   * announced in {@code x-ms-user-quota-remaining} and {@code x-ms-user-quota-resets-after}; a
   * query beyond it is answered 429. The default is Azure's example, 15 per 5 seconds.
   */
  public FakeArm resourceGraphQuota(int queries, Duration window) {
    rateLimits.resourceGraphQuota(queries, window);
    return this;
  }

  /**
   * Resource Graph returns no rows at all, as it does for a Reader assignment it cannot see yet or
   * a subscription outside its reach, while ARM lists the VMs.
   */
  public FakeArm resourceGraphWithoutAccess() {
    resourceGraph.withoutAccess();
    return this;
  }

  /**
   * Resource Graph answers with {@code resultTruncated: true} and no {@code $skipToken} when more
   * rows than a page match, as it does when it cannot page a query.
   */
  public FakeArm resourceGraphTruncates() {
    resourceGraph.truncates();
    return this;
  }

  /**
   * The next {@code answers} answers that would carry the VM's power state (the {@code
   * statusOnly=true} listing, an instance view, a Resource Graph row) leave it out, as Azure's
   * states page says the statusOnly listing can in rare cases.
   */
  public FakeArm powerStateGap(String vmName, int answers) {
    world.powerStateGap(vmName, answers);
    return this;
  }

  /** Resource Graph has caught up with ARM again (and sees every readable VM, untruncated). */
  public FakeArm resourceGraphCaughtUp() {
    resourceGraph.caughtUp();
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
    world.vms.addAll(List.of(added));
    return this;
  }

  public FakeArm add(FakeScaleSet... added) {
    world.scaleSets.addAll(List.of(added));
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
    world.readableScopes(List.of(scopes));
    return this;
  }

  /**
   * Declares an empty resource group. Groups holding a VM or scale set exist without this; a
   * listing in a group that does not exist is answered 404 {@code ResourceGroupNotFound}.
   */
  public FakeArm resourceGroup(String subscription, String name) {
    world.addResourceGroup(subscription, name);
    return this;
  }

  /**
   * Removes the VM with this ARM id (compared ignoring case), as a delete through ARM does; a VM
   * that changes (deallocated, started, retagged) is removed and added again as it is now.
   */
  public FakeArm remove(String vmId) {
    if (!world.vms.removeIf(vm -> vm.id().equalsIgnoreCase(vmId))) {
      throw new IllegalArgumentException("the fake ARM has no VM '" + vmId + "'");
    }
    return this;
  }

  /** Removes every VM and scale set. */
  public FakeArm clearWorld() {
    world.clear();
    return this;
  }

  /** Answers the next {@code times} requests whose path contains {@code pathPart} with a fault. */
  public FakeArm fail(String pathPart, Fault fault, int times) {
    faults.add(pathPart, OptionalInt.empty(), fault, times);
    return this;
  }

  /**
   * Answers the next {@code times} requests for page {@code page} (counting from 1: the request
   * without a skip token) of a listing or Resource Graph query whose path contains {@code pathPart}
   * with a fault; the other pages are served. So a later page can fail, and a retry of page 3 of 5
   * be seen.
   */
  public FakeArm failPage(String pathPart, int page, Fault fault, int times) {
    faults.add(pathPart, OptionalInt.of(page), fault, times);
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

  /** The page a request asks for; a token the fake did not issue counts as the first. */
  private int pageOf(RecordedRequest request, String body) {
    String token =
        request.isResourceGraph()
            ? ResourceGraph.skipTokenOf(body)
            : Wire.parseQuery(request.query()).get("$skiptoken");
    try {
      return paging.pageOf(token);
    } catch (Paging.SkipTokenException e) {
      return 1;
    }
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
      Optional<Fault> overBudget =
          request.isArm() ? rateLimits.take(exchange, request) : Optional.empty();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);

      Optional<Fault> fault = faults.take(path, pageOf(request, body));
      if (fault.isPresent()) {
        faults.send(exchange, fault.get());
        return;
      }
      if (identity.answer(exchange, request, body)) {
        return;
      }
      Optional<String> unauthenticated = identity.refusal(request);
      if (unauthenticated.isPresent()) {
        Wire.send(exchange, 401, unauthenticated.get());
        return;
      }
      if (request.isArm() && !Wire.parseQuery(rawQuery).containsKey("api-version")) {
        Wire.send(
            exchange,
            400,
            Fault.armError(
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests."));
        return;
      }
      if (overBudget.isPresent()) {
        faults.send(exchange, overBudget.get());
        return;
      }
      if (ResourceGraph.isQuery(request)) {
        // Resource Graph needs no role of its own: it answers with the rows the caller may read.
        resourceGraph.answer(exchange, body);
        return;
      }
      Optional<String> refused = world.refusedScope(path);
      if (refused.isPresent()) {
        Wire.send(exchange, 403, FakeWorld.authorizationFailed(path, refused.get()));
        return;
      }
      Matcher inGroup = RESOURCE_GROUP_PATH.matcher(path + "/");
      if (inGroup.find() && !world.resourceGroupExists(inGroup.group(1), inGroup.group(2))) {
        Wire.send(
            exchange,
            404,
            Fault.armError(
                "ResourceGroupNotFound",
                "Resource group '" + inGroup.group(2) + "' could not be found."));
        return;
      }
      Map<String, String> query = Wire.parseQuery(rawQuery);
      Optional<String> contractViolation = compute.contractViolation(path, query);
      if (contractViolation.isPresent()) {
        Wire.send(exchange, 400, contractViolation.get());
        return;
      }
      Optional<String> flexibleListing = compute.flexibleInstanceListing(path);
      if (flexibleListing.isPresent()) {
        Wire.send(exchange, 409, flexibleListing.get());
        return;
      }
      Optional<List<ObjectNode>> items = compute.list(path, query).or(() -> network.list(path));
      if (items.isEmpty()) {
        Wire.send(
            exchange,
            404,
            Fault.armError("ResourceNotFound", "The fake ARM does not serve " + path + "."));
        return;
      }
      paging.sendPage(exchange, endpoint(), path, rawQuery, items.get());
    } catch (Paging.SkipTokenException e) {
      Wire.send(exchange, 400, Fault.armError("InvalidSkipToken", e.getMessage()));
    } catch (RuntimeException e) {
      Wire.send(exchange, 500, Fault.armError("FakeArmBug", String.valueOf(e)));
    }
  }
}
