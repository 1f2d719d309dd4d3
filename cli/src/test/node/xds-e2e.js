'use strict';
// The Node side of the cli's grpc-js-xds end-to-end tests (GrpcJsXdsIT): a second xDS client,
// written by another team than grpc-java's, against `meshctl serve`.
//
//   node xds-e2e.js backend NAME   a grpc-js server on 127.0.0.1, a port the OS picks; answers
//                                  every call with its NAME; prints {"backend":NAME,"port":N}
//   node xds-e2e.js client         an @grpc/grpc-js-xds client (bootstrap from
//                                  GRPC_XDS_BOOTSTRAP_CONFIG) driven by lines on stdin:
//                                    start TARGET CONCURRENCY   call xds:///service continuously
//                                    stop TARGET                stop and close that channel
//                                  and reporting JSON lines on stdout: per target every 200 ms
//                                  {"target","ok","failed","byBackend","lastError"}, and
//                                  {"event":"unrequested","detail"} for every resource the xDS
//                                  server sent that the client had not subscribed to.
//
// Calls are paced (one per worker every 10 ms) so two cores shared with the control plane and
// the JVM running the test are not saturated.

const grpc = require('@grpc/grpc-js');
const readline = require('readline');

const identity = (value) => value;
const service = {
  call: {
    path: '/azmesh.e2e.Echo/Call',
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

function print(object) {
  process.stdout.write(JSON.stringify(object) + '\n');
}

function backend(name) {
  const server = new grpc.Server();
  server.addService(service, {
    call: (call, callback) => callback(null, Buffer.from(name)),
  });
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) {
      process.stderr.write(`backend ${name} cannot bind: ${error.message}\n`);
      process.exit(1);
    }
    print({ backend: name, port });
  });
}

function client() {
  // grpc-js logs xDS traces through its logger; the one that matters here is a resource the
  // server sent without the client subscribing to it.
  grpc.setLogVerbosity(grpc.logVerbosity.DEBUG);
  grpc.setLogger({
    error: (...args) => {
      const line = args.join(' ');
      if (line.includes('with no subscriptions')) {
        print({ event: 'unrequested', detail: line });
      }
    },
  });
  require('@grpc/grpc-js-xds').register();
  const Echo = grpc.makeGenericClientConstructor(service, 'Echo');
  const loads = new Map();

  function start(target, concurrency) {
    const load = {
      client: new Echo(target, grpc.credentials.createInsecure()),
      ok: 0,
      failed: 0,
      byBackend: {},
      lastError: '',
      running: true,
    };
    loads.set(target, load);
    const worker = () => {
      if (!load.running) {
        return;
      }
      load.client.call(Buffer.alloc(0), { deadline: Date.now() + 5000 }, (error, reply) => {
        if (!load.running) {
          return;
        }
        if (error) {
          load.failed++;
          load.lastError = `${error.code} ${error.details}`;
        } else {
          load.ok++;
          const name = reply.toString();
          load.byBackend[name] = (load.byBackend[name] || 0) + 1;
        }
        setTimeout(worker, 10);
      });
    };
    for (let i = 0; i < concurrency; i++) {
      worker();
    }
  }

  function stop(target) {
    const load = loads.get(target);
    if (load) {
      load.running = false;
      load.client.close();
      loads.delete(target);
      report(target, load);
      print({ event: 'stopped', target });
    }
  }

  function report(target, load) {
    print({
      target,
      ok: load.ok,
      failed: load.failed,
      byBackend: load.byBackend,
      lastError: load.lastError,
    });
  }

  setInterval(() => loads.forEach((load, target) => report(target, load)), 200);
  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    const [command, target, concurrency] = line.trim().split(/\s+/);
    if (command === 'start') {
      start(target, Number(concurrency || 1));
    } else if (command === 'stop') {
      stop(target);
    }
  }).on('close', () => process.exit(0));
}

const [role, name] = process.argv.slice(2);
if (role === 'backend' && name) {
  backend(name);
} else if (role === 'client') {
  client();
} else {
  process.stderr.write('usage: node xds-e2e.js backend NAME | client\n');
  process.exit(2);
}
