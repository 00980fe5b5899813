import os from 'node:os';

import type { PlatformClient } from '../connectors/platform/platform-client.js';
import { buildPayloadText, type EnterpriseIdentity } from '../connectors/platform/payload-builder.js';
import type { PayloadValidator } from '../connectors/platform/payload-validator.js';
import type { Profile } from '../connectors/platform/profile-schema.js';
import {
  MessageRejectedError,
  PayloadTooLargeError,
  RateLimitedUntilError,
  TransientSendError,
} from '../connectors/platform/retry-policy.js';
import type { Position, SourceRow } from '../connectors/sources/source-types.js';
import type { ReadSnapshot, SourceReader } from '../connectors/sources/index.js';
import { OwhError } from '../config/errors.js';
import { bi } from '../config/i18n.js';
import type { CompiledMapping } from '../mappings/index.js';
import { Batcher } from './batcher.js';
import { buildCommit, rejectWholeBatch } from './committer.js';
import { problemsToDeadLetter, ThresholdGuard, type ThresholdSettings } from './dead-letters.js';
import { filterChanged } from './delta-filter.js';
import type { Logger } from './logger.js';
import { deriveMessageId } from './message-id.js';
import type { PayloadRecord } from './record-types.js';
import { emptyCounts, type CheckpointUpdate, type OutboxBatch, type RunCounts, type StateStore } from './state/state-store.js';

/** Share of acknowledged records a reconciliation may delete unless the config allows more. */
const DEFAULT_MAX_DELETE_SHARE = 0.5;

/** Ledger records examined per query during key reconciliation. */
const RECONCILE_PAGE = 500;

/** Minimum time between checkpoint saves of pages that sent nothing. */
const PAGE_CHECKPOINT_INTERVAL_MS = 2000;

/** Parent keys remembered per run for the child scan; about 10 MB of keys at most. */
const MAX_REMEMBERED_PARENTS = 100_000;

/** A run holds its pipeline's lock this long at most; a crashed run's lock expires after it. */
const LOCK_TTL_MS = 6 * 60 * 60_000;

/**
 * True when a lock holder ran on this host and its process is gone, as
 * after a kill -9: its lock must not block the next run for hours.
 */
function isDeadLocalProcess(holder: string): boolean {
  const [host, pidText] = holder.split(':');
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return false;

  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Everything one pipeline run needs, built once by the caller. */
export interface PipelineContext {
  pipeline: string;
  runId: string;
  profile: Profile;
  enterprise: EnterpriseIdentity;
  mapping: CompiledMapping;
  validator: PayloadValidator;
  reader: SourceReader;
  client: PlatformClient;
  store: StateStore;
  logger: Logger;
  pageSize: number;
  batchSize: number;
  commitLagSeconds: number;
  thresholds: ThresholdSettings;
  /** Read from the start instead of the checkpoint; the ledger still drops unchanged records. */
  fullRefresh?: boolean;
  /** After the sync, send deletions for acknowledged records whose source rows are gone. */
  reconcileDeletes?: boolean;
  /** Largest share of acknowledged records one reconciliation may delete. */
  reconcileMaxDeleteShare?: number;
  /**
   * Sealed batches sent before the oldest is acknowledged; default 1, one at
   * a time. Above 1, sending overlaps with reading, mapping and signing the
   * next batches, and commits still happen in seal order.
   */
  maxBatchesInFlight?: number;
  signal?: AbortSignal;
}

export interface PipelineSummary {
  pipeline: string;
  kind: string;
  outcome: 'finished' | 'failed';
  counts: RunCounts;
  checkpoint: string | null;
  error?: OwhError;
}

/**
 * Runs one incremental sync of one pipeline: resend what the outbox holds,
 * read the window after the checkpoint, map, validate, drop unchanged
 * records, batch, seal, send and commit. Batches are sent one at a time
 * unless `maxBatchesInFlight` allows more, and always committed in seal
 * order. The checkpoint moves only inside a commit that follows the
 * platform's ack.
 */
export class PipelineRunner {
  readonly #ctx: PipelineContext;
  readonly #counts: RunCounts = emptyCounts();
  readonly #batcher: Batcher;
  readonly #guard: ThresholdGuard;
  #seq = 0;
  #lastPosition: Position | null = null;
  #lastCheckpoint: string | null = null;
  /** When a page last saved the checkpoint (performance.now). */
  #lastPageSave = 0;
  /** Parent keys the parent scan read this run, so the child scan skips them. */
  readonly #readParents = new Set<string>();
  /** Child cursors the final checkpoint of this run moves to. */
  #pendingChildCursors: Record<string, string> = {};
  /** Deliveries started and not yet awaited, oldest first. */
  readonly #inFlight: Array<Promise<void>> = [];
  /** Record keys of the batches in flight, with how many batches carry each. */
  readonly #inFlightKeys = new Map<string, number>();
  /** Checkpoint position of the last sealed group, as describePosition text. */
  #sealedPosition: string | null = null;

  constructor(ctx: PipelineContext) {
    this.#ctx = ctx;
    this.#batcher = new Batcher({
      maxRecords: Math.min(ctx.batchSize, ctx.profile.limits.maxRecords),
      // Leave room for the payload header and the envelope around the records.
      maxRecordBytes: Math.floor(ctx.profile.limits.maxBodyBytes * 0.9) - 4096,
    });
    this.#guard = new ThresholdGuard(ctx.pipeline, ctx.thresholds);
  }

  async run(): Promise<PipelineSummary> {
    const { store, pipeline, runId, logger, mapping } = this.#ctx;
    const lockOwner = `${os.hostname()}:${process.pid}:${runId}`;

    if (!(await store.acquireLock(`pipeline:${pipeline}`, lockOwner, LOCK_TTL_MS, isDeadLocalProcess))) {
      const error = new OwhError(
        'config',
        bi(
          `管道 ${pipeline} 正在另一个进程中运行，本次跳过。若确认没有其他进程，请等待锁过期或删除状态库中的锁。`,
          `pipeline ${pipeline} is already running in another process, so this run is skipped. If no other process runs, wait for the lock to expire.`,
        ),
      );
      return this.#summary('failed', error);
    }

    await store.startRun({ runId, pipeline, mode: 'run' });
    logger.info(`run started for ${mapping.kind}`, { event: 'run.start' });

    try {
      await this.#resendPending();
      await this.#extract();
      await this.#flush(true);
      if (this.#ctx.reconcileDeletes) await this.#reconcileDeletes();

      const summary = this.#summary('finished');
      await store.finishRun(runId, pipeline, 'finished', this.#counts, this.#lastCheckpoint);
      logger.info(`run finished: ${formatCounts(this.#counts)}`, { event: 'run.finish', counts: this.#counts });
      return summary;
    } catch (error) {
      // Deliveries still in flight commit nothing after a failure, but let them
      // end before the run is recorded and the store closes.
      await Promise.allSettled(this.#inFlight);
      const owhError = this.#classify(error);
      await store.finishRun(runId, pipeline, 'failed', this.#counts, this.#lastCheckpoint);
      logger.error(`run failed: ${owhError.text.en}`, { event: 'run.fail', counts: this.#counts });
      return this.#summary('failed', owhError);
    } finally {
      await store.releaseLock(`pipeline:${pipeline}`, lockOwner);
    }
  }

  /** Sends batches a previous run sealed but never saw acknowledged, with their original messageIds. */
  async #resendPending(): Promise<void> {
    const pending = await this.#ctx.store.pendingBatches(this.#ctx.pipeline);
    if (pending.length === 0) return;

    this.#ctx.logger.info(`resending ${pending.length} pending batches from the outbox`, { event: 'outbox.resend' });
    for (const batch of pending) await this.#deliver(batch, undefined, true);
  }

  async #extract(): Promise<void> {
    const { reader, mapping, store, pipeline, fullRefresh } = this.#ctx;
    const checkpoint = fullRefresh ? null : await store.getCheckpoint(pipeline);
    const spec = this.#readSpec();
    const childCursors = { ...(checkpoint?.childCursors ?? {}) };
    this.#lastPosition = checkpoint?.position ?? null;
    this.#pendingChildCursors = childCursors;

    // One read-only snapshot for the whole run: the upper bound and every
    // page see the same committed data.
    const snapshot = await reader.snapshot();
    try {
      const upper = await snapshot.upperBound(spec);
      if (upper === null) return;

      const firstRun = !checkpoint?.position;
      const trackParents = !firstRun && mapping.children.some((child) => child.changeCursor);

      for await (const page of snapshot.readPages(spec, { from: checkpoint?.position ?? null, upper }, this.#readOptions())) {
        this.#throwIfAborted();
        if (trackParents) this.#rememberParents(page.positions.map((position) => position.key.join('\u0000')));
        const children = await this.#fetchChildren(snapshot, page.rows);
        await this.#process(page.rows, page.positions, children, childCursors);
      }

      // Child rows changed since the last run re-emit their parents (an order
      // line edit does not touch the order's own timestamp). A first run has
      // just read every parent with its current children, so it only records
      // where the child cursors stand.
      for (const child of mapping.children) {
        if (!child.changeCursor) continue;

        // The child's position is the newest line seen, not the clock, like the
        // parent's: a line stamped after it is read next run even when its
        // stamp lies before this run's upper bound.
        const newest = (await snapshot.maxChildCursor(toChildSpec(child), upper)) ?? childCursors[child.field];
        const advance = () => {
          if (newest !== undefined) this.#pendingChildCursors = { ...this.#pendingChildCursors, [child.field]: newest };
        };
        if (firstRun) {
          advance();
          continue;
        }

        const window = { from: childCursors[child.field] ?? null, upper };
        for await (const keys of snapshot.changedParents(toChildSpec(child), window)) {
          this.#throwIfAborted();
          // The child's parentKey values are values of the parent's parentColumn,
          // which need not be the parent's primary key (GreaterWMS joins on codes).
          const parentSpec = { ...spec, key: [child.parentColumn] };
          const fetched = await snapshot.fetchByKeys(parentSpec, keys.map((key) => [key]), this.#readOptions());
          // A parent this run already read with its current lines needs no second read.
          const rows = fetched.rows.filter((row) => !this.#readParents.has(spec.key.map((k) => String(row[k])).join('\u0000')));
          const children = await this.#fetchChildren(snapshot, rows);
          // These rows lie before the parent checkpoint, so they must not move it.
          const positions = rows.map(() => null);
          await this.#process(rows, positions, children, childCursors);
        }
        advance();
      }
    } finally {
      await snapshot.release();
    }
  }

  async #fetchChildren(reader: ReadSnapshot, rows: SourceRow[]): Promise<Array<Record<string, SourceRow[]>>> {
    const { mapping } = this.#ctx;
    const perRow: Array<Record<string, SourceRow[]>> = rows.map(() => ({}));
    if (mapping.children.length === 0 || rows.length === 0) return perRow;

    for (const child of mapping.children) {
      const parentValues = rows.map((row) => String(row[child.parentColumn] ?? ''));
      const grouped = await reader.fetchChildren(toChildSpec(child), [...new Set(parentValues)]);
      parentValues.forEach((value, index) => {
        perRow[index][child.field] = grouped.get(value) ?? [];
      });
    }
    return perRow;
  }

  /** Maps, validates and delta-filters one page, sealing and sending full batches as they fill. */
  async #process(
    rows: SourceRow[],
    positions: Array<Position | null>,
    children: Array<Record<string, SourceRow[]>>,
    childCursors: Record<string, string>,
  ): Promise<void> {
    const { mapping, validator, store, pipeline, runId } = this.#ctx;
    const candidates: PayloadRecord[] = [];
    const sourceRows = new Map<PayloadRecord, SourceRow>();

    for (let index = 0; index < rows.length; index++) {
      this.#counts.read++;
      const result = mapping.map(rows[index], children[index]);

      if (!result.ok) {
        await store.addDeadLetters([problemsToDeadLetter(pipeline, runId, mapping.kind, result.key, 'map', result.problems, rows[index])]);
        this.#deadLettered(result.key, result.problems.length);
        continue;
      }

      const record: PayloadRecord = { kind: mapping.kind, key: result.key, op: result.op, body: result.body, position: positions[index] ?? this.#lastPosition };
      candidates.push(record);
      sourceRows.set(record, rows[index]);
    }

    // A key still in flight must reach the platform after that batch and be
    // compared with the ledger entry its ack writes.
    if (this.#inFlightKeys.size > 0 && candidates.some((record) => this.#inFlightKeys.has(record.key))) {
      await this.#awaitDeliveries();
    }

    // Only changed records are validated. A body whose hash is in the ledger
    // is the body the platform accepted, and validation is the costliest step
    // of a run over unchanged rows.
    const delta = await filterChanged(store, mapping.kind, candidates);
    this.#counts.unchanged += delta.unchanged;

    const changed: typeof delta.changed = [];
    for (const item of delta.changed) {
      const problems = item.record.op === 'upsert' ? validator.validateRecord(mapping.kind, item.record.body) : [];
      if (problems.length === 0) {
        changed.push(item);
        continue;
      }

      const row = sourceRows.get(item.record);
      await store.addDeadLetters([problemsToDeadLetter(pipeline, runId, mapping.kind, item.record.key, 'validate', problems, row, item.record.body)]);
      this.#deadLettered(item.record.key, problems.length);
    }
    this.#counts.built += delta.unchanged + changed.length;

    // Walk records in source order so a seal point covers every row before it.
    const changedByKey = new Map(changed.map((item) => [item.record.key, item]));
    for (const record of candidates) {
      const item = changedByKey.get(record.key);
      if (record.position) this.#lastPosition = record.position;
      if (!item || item.record !== record) continue;

      if (this.#batcher.add(item)) await this.#flush(false, childCursors);
    }
    const lastOfPage = positions[positions.length - 1];
    if (lastOfPage) this.#lastPosition = lastOfPage;

    // A page with nothing to send still moves the checkpoint, so a long run of
    // unchanged rows is not re-read after a crash. Once every few seconds is
    // enough: each save is a synced write, and re-reading a few seconds of
    // unchanged rows after a crash costs little.
    // When the last sealed batch already carries this position, its ack moves
    // the checkpoint; saving it now would pass batches still in flight.
    const carried = this.#inFlight.length > 0 && this.#sealedPosition === describePosition(this.#lastPosition);
    const due = performance.now() - this.#lastPageSave >= PAGE_CHECKPOINT_INTERVAL_MS;
    if (this.#batcher.isEmpty && lastOfPage && !carried && due) {
      await this.#awaitDeliveries();
      await store.saveCheckpoint(pipeline, { position: this.#lastPosition, childCursors });
      this.#lastCheckpoint = describePosition(this.#lastPosition);
      this.#lastPageSave = performance.now();
    }
  }

  /**
   * Finds hard deletes: marks the record key of every current source row in
   * the state store, then sends a deletion for each record this pipeline got
   * acknowledged that was not marked. The marks live in the store, not in
   * memory, so the work is bounded by page size whatever the table's size.
   * The checkpoint stays where the sync left it.
   */
  async #reconcileDeletes(): Promise<void> {
    const { reader, mapping, store, pipeline, logger } = this.#ctx;
    const spec = this.#readSpec();

    await store.beginReconcile(pipeline);
    let scanned = 0;
    const snapshot = await reader.snapshot();
    try {
      const upper = await snapshot.upperBound(spec);
      const pages = upper === null ? [] : snapshot.readPages(spec, { from: null, upper }, this.#readOptions());
      for await (const page of pages) {
        this.#throwIfAborted();
        scanned += page.rows.length;

        // The record key comes from the parent row, so children are not fetched.
        // A row that fails to map still marks its key, because an invalid row is
        // not a deleted one. A soft-deleted row does not, because its record is gone.
        const present = page.rows.map((row) => mapping.map(row, {})).filter((result) => !result.ok || result.op === 'upsert');
        await store.markSeen(pipeline, present.map((result) => result.key));
      }
    } finally {
      await snapshot.release();
    }

    const missing = await this.#countUnseen();
    this.#guardMassDelete(scanned, missing);

    let after: string | null = null;
    let found = 0;
    for (;;) {
      const page = await store.unseenRecords(pipeline, mapping.kind, after, RECONCILE_PAGE);
      if (page.length === 0) break;

      for (const item of page) {
        after = item.key;
        if (!item.keyFields) {
          logger.warn(`record ${item.key} is gone from the source but was acknowledged before key fields were kept; delete it by hand`, {
            event: 'reconcile.no_key_fields',
            recordKey: item.key,
          });
          continue;
        }

        found++;
        const record: PayloadRecord = { kind: mapping.kind, key: item.key, op: 'delete', body: item.keyFields, position: this.#lastPosition };
        if (this.#batcher.add({ record, operation: 'delete', hash: 'deleted' })) await this.#flush(false, this.#pendingChildCursors);
      }
    }

    await this.#flush(true);
    await store.endReconcile(pipeline);
    logger.info(`key reconciliation found ${found} records deleted at the source`, { event: 'reconcile.finish', deleted: found });
  }

  async #countUnseen(): Promise<number> {
    const { store, pipeline, mapping } = this.#ctx;
    let after: string | null = null;
    let count = 0;

    for (;;) {
      const page = await store.unseenRecords(pipeline, mapping.kind, after, RECONCILE_PAGE);
      if (page.length === 0) return count;
      count += page.length;
      after = page[page.length - 1].key;
    }
  }

  /**
   * Rejects a reconciliation that would delete everything or a large share
   * of the platform's records. An empty scan or a wrong filter, database or
   * tenant looks exactly like a mass deletion. Undoing one at the platform is
   * far harder than rerunning with the limit raised.
   */
  #guardMassDelete(scanned: number, missing: number): void {
    const { pipeline, reconcileMaxDeleteShare } = this.#ctx;
    if (missing === 0) return;

    const limit = reconcileMaxDeleteShare ?? DEFAULT_MAX_DELETE_SHARE;
    const acknowledged = scanned + missing;
    const share = missing / Math.max(1, acknowledged);
    if (scanned > 0 && share <= limit) return;

    const percent = (share * 100).toFixed(1);
    throw new OwhError(
      'threshold-exceeded',
      bi(
        `管道 ${pipeline}：主键对账读到 ${scanned} 行，却要删除 ${missing} 条平台已有记录（${percent}%），超过上限 ${limit * 100}%，未发送任何删除。请检查 where 条件、数据库和租户是否正确；确认无误后，调高管道的 reconcileMaxDeleteShare 再运行。`,
        `pipeline ${pipeline}: key reconciliation read ${scanned} rows but would delete ${missing} of the platform's records (${percent}%), above the limit of ${limit * 100}%, so no deletion was sent. Check the where filter, database and tenant; if the deletions are right, raise the pipeline's reconcileMaxDeleteShare and run again.`,
      ),
    );
  }

  /** Values of the profile's record key fields in a body, so a later deletion can name the record. */
  #keyFields(body: Record<string, unknown>): Record<string, unknown> {
    const fields = this.#ctx.profile.kinds[this.#ctx.mapping.kind]?.recordKey ?? [];
    return Object.fromEntries(fields.map((field) => [field, body[field]]));
  }

  /**
   * Remembers parent keys read by the parent scan, up to a bound so that
   * memory stays flat after a long outage. Past the bound a parent may be
   * read twice, and the batcher still sends it once.
   */
  #rememberParents(keys: string[]): void {
    for (const key of keys) {
      if (this.#readParents.size >= MAX_REMEMBERED_PARENTS) return;
      this.#readParents.add(key);
    }
  }

  #deadLettered(key: string, problemCount: number): void {
    this.#counts.deadLettered++;
    this.#ctx.logger.warn(`record ${key} dead-lettered with ${problemCount} problems`, { event: 'record.dead_letter', recordKey: key });
    this.#guard.check(this.#counts.deadLettered, this.#counts.read);
  }

  /** Seals every open batch as one group; the last carries the checkpoint. */
  async #flush(final: boolean, childCursors: Record<string, string> = this.#pendingChildCursors): Promise<void> {
    const { profile, enterprise, pipeline, mapping, store } = this.#ctx;
    const open = this.#batcher.drain();
    const checkpoint: CheckpointUpdate = { position: this.#lastPosition, childCursors: final ? this.#pendingChildCursors : childCursors };

    if (open.length === 0) {
      if (final) {
        await this.#awaitDeliveries();
        await store.saveCheckpoint(pipeline, checkpoint);
        this.#lastCheckpoint = describePosition(this.#lastPosition);
      }
      return;
    }

    // Seal only when a delivery may start, so with one batch in flight nothing
    // is sealed before the previous batch is committed.
    await this.#awaitRoom();
    if (this.#seq === 0) this.#seq = await nextSeq(store, pipeline);
    const createdAt = new Date().toISOString();
    const sealed: OutboxBatch[] = open.map((batch, index) => {
      const seq = this.#seq++;
      const records = batch.records.map((item) => item.record.body);
      const payloadText = buildPayloadText(profile, enterprise, batch.operation, records);
      // The sealing number keeps ids unique when the same records are sealed
      // again later, as in a full refresh after a rejected batch. A resend after
      // a crash reuses the id stored in the outbox instead of deriving one.
      const messageId = deriveMessageId(
        [pipeline, mapping.kind, batch.operation, String(seq), describePosition(checkpoint.position) ?? '', String(index), ...batch.records.map((r) => `${r.record.key}:${r.hash}`)],
        profile.envelope.messageIdFormat === 'uuidUpper',
      );
      return {
        messageId,
        pipeline,
        kind: mapping.kind,
        appType: profile.payload.appType[batch.operation],
        payloadText,
        records: batch.records.map((item) => ({
          key: item.record.key,
          hash: item.hash,
          op: item.record.op,
          keyFields: this.#keyFields(item.record.body),
        })),
        checkpoint: index === open.length - 1 ? checkpoint : null,
        seq,
        status: 'pending',
        // Counted here because the batch goes out right away; this saves a
        // separate write (and disk sync) per message.
        attempts: 1,
        createdAt,
      };
    });

    // The outbox entry exists before the first byte is sent, so a crash at any
    // later point resends the same messageId instead of losing the batch.
    await store.addToOutbox(sealed);
    this.#sealedPosition = describePosition(checkpoint.position);
    for (const batch of sealed) await this.#startDelivery(batch);
    if (final) await this.#awaitDeliveries();
  }

  /** Waits until fewer than `maxBatchesInFlight` deliveries are in flight; throws the first failure. */
  async #awaitRoom(): Promise<void> {
    const limit = Math.max(1, this.#ctx.maxBatchesInFlight ?? 1);
    while (this.#inFlight.length >= limit) await this.#inFlight.shift();
  }

  /** Starts delivering a batch after the previous one, waiting first while the in-flight limit is reached. */
  async #startDelivery(batch: OutboxBatch): Promise<void> {
    await this.#awaitRoom();

    for (const record of batch.records) this.#inFlightKeys.set(record.key, (this.#inFlightKeys.get(record.key) ?? 0) + 1);
    const delivery = this.#deliver(batch, this.#inFlight.at(-1)).finally(() => {
      for (const record of batch.records) {
        const left = (this.#inFlightKeys.get(record.key) ?? 1) - 1;
        if (left === 0) this.#inFlightKeys.delete(record.key);
        else this.#inFlightKeys.set(record.key, left);
      }
    });
    // The failure surfaces where the delivery is awaited; this handler only
    // keeps it from being reported as unhandled before that.
    delivery.catch(() => undefined);
    this.#inFlight.push(delivery);
  }

  /** Waits until every delivery in flight is committed; throws the first failure. */
  async #awaitDeliveries(): Promise<void> {
    while (this.#inFlight.length > 0) await this.#inFlight.shift();
  }

  /**
   * Sends one batch until the platform returns a final response, then commits
   * once `previous` (the delivery sealed before it) has committed. When
   * `previous` fails, this batch commits nothing and stays pending in the outbox.
   */
  async #deliver(batch: OutboxBatch, previous?: Promise<void>, resend = false): Promise<void> {
    const { client, store, runId, logger } = this.#ctx;
    const batchLogger = logger.child({ batchId: batch.messageId });

    if (resend) await store.recordAttempt(batch.messageId);
    this.#counts.sent += batch.records.length;

    const sent = await client.send({ messageId: batch.messageId, kind: batch.kind, payloadText: batch.payloadText }, this.#ctx.signal).then(
      (result) => ({ ok: true as const, result }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    await previous;

    try {
      if (!sent.ok) throw sent.error;
      const { result } = sent;
      const { commit, tally } = buildCommit(batch, result, runId);

      await store.commitBatch(commit);
      this.#counts.accepted += tally.accepted + tally.deleted;
      this.#counts.deleted += tally.deleted;
      this.#counts.rejected += tally.rejected;
      if (batch.checkpoint) this.#lastCheckpoint = describePosition(batch.checkpoint.position);

      batchLogger.info(
        `batch acknowledged: ${tally.accepted} accepted, ${tally.deleted} deleted, ${tally.rejected} rejected (${result.outcome}, ${result.attempts} attempts)`,
        { event: 'batch.ack', records: undefined, accepted: tally.accepted, rejected: tally.rejected },
      );
    } catch (error) {
      if (error instanceof PayloadTooLargeError && batch.records.length > 1) {
        this.#counts.sent -= batch.records.length;
        await this.#splitAndDeliver(batch);
        return;
      }
      if (error instanceof MessageRejectedError && (error.errorClass === 'VALIDATION' || error.errorClass === 'BUSINESS_RULE')) {
        // The content is at fault, not the connection: quarantine the batch
        // and go on, as a resend of the same bytes cannot succeed.
        const letters = rejectWholeBatch(batch, runId, { code: error.code, errorClass: error.errorClass, message: error.platformMessage });
        await store.commitBatch({
          messageId: batch.messageId,
          pipeline: batch.pipeline,
          kind: batch.kind,
          accepted: [],
          deleted: [],
          rejected: letters,
          receipt: { messageId: batch.messageId, status: 'rejected', code: error.code, message: error.platformMessage },
          checkpoint: batch.checkpoint,
        });
        this.#counts.rejected += batch.records.length;
        batchLogger.error(`batch rejected as a whole: ${error.message}`, { event: 'batch.rejected' });
        return;
      }
      throw error;
    }
  }

  /** Replaces a batch the platform found too large with two halves, each with a derived messageId. */
  async #splitAndDeliver(batch: OutboxBatch): Promise<void> {
    const { profile, enterprise, store, logger } = this.#ctx;
    const middle = Math.ceil(batch.records.length / 2);
    const payload = JSON.parse(batch.payloadText) as Record<string, unknown>;
    const recordsField = profile.payload.fieldNames.records;
    const bodies = payload[recordsField] as Array<Record<string, unknown>>;
    const operation = (Object.entries(profile.payload.appType).find(([, value]) => value === batch.appType)?.[0] ?? 'add') as
      | 'add'
      | 'change'
      | 'delete';

    const halves: OutboxBatch[] = [0, 1].map((half) => {
      const from = half === 0 ? 0 : middle;
      const to = half === 0 ? middle : batch.records.length;
      return {
        ...batch,
        messageId: deriveMessageId([batch.messageId, `half-${half}`], profile.envelope.messageIdFormat === 'uuidUpper'),
        payloadText: buildPayloadText(profile, enterprise, operation, bodies.slice(from, to)),
        records: batch.records.slice(from, to),
        checkpoint: half === 1 ? batch.checkpoint : null,
        seq: batch.seq,
        attempts: 1,
      };
    });

    logger.warn(`batch ${batch.messageId} too large for the platform; sending it as two halves`, { event: 'batch.split' });
    await store.splitBatch(batch.messageId, halves);
    for (const half of halves) await this.#deliver(half);
  }

  #readSpec() {
    const { mapping, pageSize, commitLagSeconds } = this.#ctx;
    return { ...mapping.source, pageSize, commitLagSeconds };
  }

  #readOptions() {
    const { logger, signal } = this.#ctx;
    return {
      signal,
      onQuality: (issue: { table: string; column: string; key: string[]; value: string; rule: string; action: string }) => {
        logger.warn(
          `data quality: ${issue.rule} in ${issue.table}.${issue.column} (key ${issue.key.join(',')}, value "${issue.value}") sent as ${issue.action}`,
          { event: 'source.quality', ...issue },
        );
      },
    };
  }

  #throwIfAborted(): void {
    if (this.#ctx.signal?.aborted) throw new Error('the run was stopped');
  }

  /** Maps a failure to the category that decides the exit code. */
  #classify(error: unknown): OwhError {
    const { pipeline } = this.#ctx;
    if (error instanceof OwhError) return error;

    if (error instanceof RateLimitedUntilError) {
      return new OwhError(
        'platform-unreachable',
        bi(
          `管道 ${pipeline}：平台限流，要求等到 ${error.until.toISOString()}，超过允许的最长等待，已停止；检查点保持不变，下次运行会继续。`,
          `pipeline ${pipeline}: rate limited until ${error.until.toISOString()}, longer than the allowed wait, so the run stopped; the checkpoint is intact and the next run continues.`,
        ),
        { cause: error },
      );
    }
    if (error instanceof TransientSendError) {
      return new OwhError(
        'platform-unreachable',
        bi(
          `管道 ${pipeline}：多次重试后仍无法送达平台（${error.message}）。请检查 platform.endpoint 与网络；未确认的批次留在发件箱，下次运行会用相同 messageId 重发。`,
          `pipeline ${pipeline}: the platform could not be reached after retries (${error.message}). Check platform.endpoint and the network; unacknowledged batches stay in the outbox and are resent with the same messageId next run.`,
        ),
        { cause: error },
      );
    }
    if (error instanceof MessageRejectedError) {
      return new OwhError(
        'records-rejected',
        bi(
          `管道 ${pipeline}：平台拒绝了整条报文：${error.errorClass}（代码 ${error.code}）：${error.platformMessage}。请检查 senderId、密钥、已开通的接口和系统时间；该批次留在发件箱，修正后重新运行即可重发。`,
          `pipeline ${pipeline}: the platform rejected the message: ${error.errorClass} (code ${error.code}): ${error.platformMessage}. Check the senderId, key, opened interfaces and system clock; the batch stays in the outbox and is resent on the next run.`,
        ),
        { cause: error },
      );
    }
    if (isSourceError(error)) {
      return new OwhError(
        'source-unreachable',
        bi(
          `管道 ${pipeline}：读取 WMS 数据库失败：${String((error as Error).message)}。请检查数据源连接配置和数据库状态。`,
          `pipeline ${pipeline}: reading the WMS database failed: ${String((error as Error).message)}. Check the source connection settings and that the database is up.`,
        ),
        { cause: error },
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    return new OwhError('internal', bi(`管道 ${pipeline}：内部错误：${message}`, `pipeline ${pipeline}: internal error: ${message}`), {
      cause: error,
    });
  }

  #summary(outcome: 'finished' | 'failed', error?: OwhError): PipelineSummary {
    return { pipeline: this.#ctx.pipeline, kind: this.#ctx.mapping.kind, outcome, counts: this.#counts, checkpoint: this.#lastCheckpoint, error };
  }
}

function toChildSpec(child: CompiledMapping['children'][number]) {
  return {
    table: child.table,
    query: child.query,
    parentKey: child.parentKey,
    key: child.key,
    orderBy: child.orderBy,
    cursor: child.changeCursor,
    where: child.where,
  };
}

async function nextSeq(store: StateStore, pipeline: string): Promise<number> {
  return store.nextSeq(pipeline);
}

function describePosition(position: Position | null): string | null {
  return position ? `${position.cursor} #${position.key.join(',')}` : null;
}

function formatCounts(counts: RunCounts): string {
  return Object.entries(counts)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}

/**
 * Network errors of a WMS connection that reached the runner unwrapped. The
 * source reader wraps its own failures as OwhError, and the state store's
 * SQLite errors must not pass for a WMS outage, so only socket codes count.
 */
function isSourceError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ECONNRESET|PROTOCOL_CONNECTION_LOST)$/.test(code);
}
