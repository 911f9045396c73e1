// An async worker: a queue of jobs processed by several concurrent workers,
// each job under boundContextVars({ job_id }). Deep code logs through a
// module-level logger without being passed anything, and every line still
// carries its own job's id, even across awaits and timers.
import { setTimeout as sleep } from "node:timers/promises";
import * as structlog from "@structlog/core";

structlog.configure({
  processors: [
    structlog.contextvars.mergeContextVars,
    structlog.processors.addLogLevel,
    structlog.processors.addLoggerName,
    structlog.processors.jsonRenderer(),
  ],
});

const log = structlog.getLogger("worker");
const JOBS = Number(process.env.JOBS ?? 12);
const WORKERS = Number(process.env.WORKERS ?? 3);

// Deep code: knows nothing about jobs, yet its lines carry job_id.
async function chargeCard(amount) {
  await sleep(Math.random() * 10);
  log.info("card_charged", { amount });
}

async function processJob(job) {
  log.info("job_started");
  await sleep(Math.random() * 10);
  structlog.contextvars.bindContextVars({ attempt: 1 });
  await chargeCard(job.amount);
  await new Promise((resolve) =>
    setTimeout(() => {
      log.info("job_finished");
      resolve();
    }, Math.random() * 5),
  );
}

const queue = Array.from({ length: JOBS }, (_, i) => ({ id: `job-${i + 1}`, amount: (i + 1) * 10 }));

async function worker(workerId) {
  for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
    await structlog.contextvars.boundContextVars({ job_id: job.id, worker: workerId }, () => processJob(job));
  }
}

await Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i + 1)));
log.info("queue_drained");
