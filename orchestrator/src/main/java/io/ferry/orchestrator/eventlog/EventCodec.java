package io.ferry.orchestrator.eventlog;

import io.ferry.orchestrator.core.CopyStats;
import io.ferry.orchestrator.core.DowntimeBreakdown;
import io.ferry.schema.common.FailureReason;
import io.ferry.orchestrator.core.Ids.CommandId;
import io.ferry.orchestrator.core.Ids.DrainId;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.Ids.RequestId;
import io.ferry.orchestrator.core.Ids.VmId;
import io.ferry.orchestrator.core.MigrationCommand.Channel;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.Placement;
import io.ferry.orchestrator.core.Policy;
import io.ferry.orchestrator.core.Stage;
import io.ferry.orchestrator.core.StageAction;
import io.ferry.orchestrator.core.VmSpec;
import io.ferry.schema.AvroCodec;
import io.ferry.schema.ReleasedSchemas;
import io.ferry.schema.common.Compression;
import io.ferry.schema.common.CopyProgress;
import io.ferry.schema.common.MigrationPolicy;
import io.ferry.schema.common.PlacementDecision;
import io.ferry.schema.common.RuledOutHost;
import io.ferry.schema.common.VmConfig;
import io.ferry.schema.event.AbortConfirmed;
import io.ferry.schema.event.AbortUnconfirmed;
import io.ferry.schema.event.CancelRefused;
import io.ferry.schema.event.CancelRequested;
import io.ferry.schema.event.CleanupStepFailed;
import io.ferry.schema.event.FinalCopyCompleted;
import io.ferry.schema.event.MigrationAdmitted;
import io.ferry.schema.event.MigrationCancelled;
import io.ferry.schema.event.MigrationRolledBack;
import io.ferry.schema.event.RollbackIncomplete;
import io.ferry.schema.event.MigrationCompleted;
import io.ferry.schema.event.MigrationFailed;
import io.ferry.schema.event.MigrationRequested;
import io.ferry.schema.event.NetworkAnnounced;
import io.ferry.schema.event.PrecopyConverged;
import io.ferry.schema.event.PrecopyRoundCompleted;
import io.ferry.schema.event.SkeletonCreated;
import io.ferry.schema.event.SourceConnected;
import io.ferry.schema.event.SourceStopped;
import io.ferry.schema.event.StageCommandIssued;
import io.ferry.schema.event.StorageAcquired;
import io.ferry.schema.event.StorageReleased;
import io.ferry.schema.event.VmResumed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Maps the core's events to the Avro records kept in the log and back. The log's {@code type} column holds the
 * record's simple name; the payload is its single-object encoding, so each event type evolves on its own schema.
 */
public final class EventCodec {
    private static final List<Class<? extends SpecificRecordBase>> TYPES = List.of(MigrationRequested.class,
            StageCommandIssued.class, SkeletonCreated.class, SourceConnected.class, PrecopyRoundCompleted.class,
            PrecopyConverged.class, FinalCopyCompleted.class, StorageReleased.class, StorageAcquired.class, VmResumed.class,
            NetworkAnnounced.class, SourceStopped.class, MigrationCompleted.class, MigrationFailed.class,
            MigrationAdmitted.class, CleanupStepFailed.class, CancelRequested.class, CancelRefused.class,
            AbortConfirmed.class, AbortUnconfirmed.class, MigrationCancelled.class, MigrationRolledBack.class,
            RollbackIncomplete.class);

    private final Map<String, AvroCodec<? extends SpecificRecordBase>> codecs = TYPES.stream()
            .collect(Collectors.toMap(Class::getSimpleName, AvroCodec::of));

    public String type(MigrationEvent event) {
        return event.getClass().getSimpleName();
    }

    public byte[] encode(MigrationEvent event) {
        return encodeRecord(toAvro(event));
    }

    public String json(MigrationEvent event) {
        SpecificRecordBase record = toAvro(event);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JsonEncoder encoder = EncoderFactory.get().jsonEncoder(record.getSchema(), out);
            new SpecificDatumWriter<SpecificRecordBase>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public MigrationEvent decode(String type, byte[] payload) {
        AvroCodec<? extends SpecificRecordBase> codec = codecs.get(type);
        if (codec == null) {
            throw new IllegalStateException("the event log holds an event of unknown type '" + type
                    + "': this orchestrator is older than the one that wrote it");
        }
        return fromAvro(codec.decode(payload));
    }

    /**
     * Reads the JSON form ({@link #json}) back, as an export file and the log's {@code payload_json} carry it. JSON
     * written before a field was added lacks it, which Avro's JSON decoder does not fill in from the default: such
     * a payload is read as written by each released version of the record in turn, newest first.
     */
    public MigrationEvent fromJson(String type, String payloadJson) {
        AvroCodec<? extends SpecificRecordBase> codec = codecs.get(type);
        if (codec == null) {
            throw new IllegalArgumentException("event of unknown type '" + type + "'; known: " + codecs.keySet());
        }
        Schema current = TYPES.stream().filter(t -> t.getSimpleName().equals(type)).findFirst().map(EventCodec::schemaOf)
                .orElseThrow();
        try {
            return fromAvro(read(current, current, payloadJson));
        } catch (IOException | org.apache.avro.AvroRuntimeException e) {
            for (Schema released : ReleasedSchemas.versionsOf(current.getFullName()).reversed()) {
                try {
                    return fromAvro(read(released, current, payloadJson));
                } catch (IOException | org.apache.avro.AvroRuntimeException notThisOne) {
                    // an older release may still match
                }
            }
            throw new IllegalArgumentException("event " + type + " does not match its schema (nor a released version of "
                    + "it): " + e.getMessage(), e);
        }
    }

    private static SpecificRecordBase read(Schema writer, Schema reader, String json) throws IOException {
        return new SpecificDatumReader<SpecificRecordBase>(writer, reader).read(null,
                DecoderFactory.get().jsonDecoder(writer, json));
    }

    private static Schema schemaOf(Class<? extends SpecificRecordBase> type) {
        return org.apache.avro.specific.SpecificData.get().getSchema(type);
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecordBase> byte[] encodeRecord(T record) {
        return ((AvroCodec<T>) codecs.get(record.getClass().getSimpleName())).encode(record);
    }

    static SpecificRecordBase toAvro(MigrationEvent event) {
        return switch (event) {
            case MigrationEvent.MigrationRequested e -> MigrationRequested.newBuilder()
                    .setRequestId(e.requestId().value()).setVmId(e.vm().vmId().value())
                    .setSourceHost(e.source().value()).setDestinationHost(e.destination().value())
                    .setVm(vmConfig(e.vm())).setPolicy(policy(e.policy())).setRequestedBy(e.requestedBy())
                    .setRequestedAt(e.requestedAt()).setChannel(e.channel().name())
                    .setPlacement(e.placement() == null ? null : placement(e.placement()))
                    .setDrainId(e.drain() == null ? null : e.drain().toString())
                    .setEstimate(e.forecast() == null ? null : estimate(e.forecast())).build();
            case MigrationEvent.StageCommandIssued e -> new StageCommandIssued(e.commandId().toString(), e.action().name(),
                    e.target().value());
            case MigrationEvent.SkeletonCreated e -> new SkeletonCreated(e.host().value(), e.dataAddress());
            case MigrationEvent.SourceConnected e -> new SourceConnected(e.host().value());
            case MigrationEvent.PrecopyRoundCompleted e -> new PrecopyRoundCompleted(progress(e.stats()));
            case MigrationEvent.PrecopyConverged e -> new PrecopyConverged(e.rounds(), e.dirtyPagesRemaining(),
                    e.expectedDowntimeMs());
            case MigrationEvent.FinalCopyCompleted e -> new FinalCopyCompleted(e.pausedAt(), e.pagesSent(), e.bytesSent(),
                    e.memoryChecksum());
            case MigrationEvent.StorageReleased e -> new StorageReleased(e.host().value(), e.epoch());
            case MigrationEvent.StorageAcquired e -> new StorageAcquired(e.host().value(), e.epoch());
            case MigrationEvent.VmResumed e -> new VmResumed(e.host().value(), e.resumedAt(), e.downtimeMs(), e.memoryChecksum(),
                    e.breakdown() == null ? null : breakdown(e.breakdown()));
            case MigrationEvent.NetworkAnnounced e -> new NetworkAnnounced(e.host().value(), e.macAddress());
            case MigrationEvent.SourceStopped e -> new SourceStopped(e.host().value());
            case MigrationEvent.MigrationCompleted e -> new MigrationCompleted(e.totalMs(), e.downtimeMs(), e.rounds(),
                    e.pagesSent(), e.bytesSent());
            case MigrationEvent.MigrationFailed e -> new MigrationFailed(e.stage().name(), e.reason().name(), e.detail());
            case MigrationEvent.MigrationAdmitted e -> new MigrationAdmitted(e.activeOnSource(), e.activeInCluster());
            case MigrationEvent.CleanupStepFailed e -> new CleanupStepFailed(e.action().name(), e.reason().name(), e.detail(),
                    e.retrying());
            case MigrationEvent.CancelRequested e -> new CancelRequested(e.requestedBy(), e.stage().name());
            case MigrationEvent.CancelRefused e -> new CancelRefused(e.requestedBy(), e.state(), e.detail());
            case MigrationEvent.AbortConfirmed e -> new AbortConfirmed(e.host().value());
            case MigrationEvent.AbortUnconfirmed e -> new AbortUnconfirmed(e.host().value(), e.detail());
            case MigrationEvent.MigrationCancelled e -> new MigrationCancelled(e.requestedBy(), e.cancelledIn());
            case MigrationEvent.MigrationRolledBack e -> new MigrationRolledBack(e.note());
            case MigrationEvent.RollbackIncomplete e -> new RollbackIncomplete(e.detail());
        };
    }

    static MigrationEvent fromAvro(SpecificRecordBase record) {
        // Avro's generated classes are not sealed, so this one mapping needs a default: an unmapped type is a bug.
        return switch (record) {
            case MigrationRequested r -> new MigrationEvent.MigrationRequested(new RequestId(r.getRequestId()), vmSpec(r.getVm()),
                    new HostId(r.getSourceHost()), new HostId(r.getDestinationHost()), policy(r.getPolicy()),
                    r.getRequestedBy(), Channel.valueOf(r.getChannel()), r.getRequestedAt(),
                    r.getPlacement() == null ? null : placement(r.getPlacement()),
                    r.getDrainId() == null ? null : DrainId.parse(r.getDrainId()),
                    r.getEstimate() == null ? null : forecast(r.getEstimate()));
            case StageCommandIssued r -> new MigrationEvent.StageCommandIssued(new CommandId(UUID.fromString(r.getCommandId())),
                    StageAction.valueOf(r.getAction()), new HostId(r.getTargetHost()));
            case SkeletonCreated r -> new MigrationEvent.SkeletonCreated(new HostId(r.getHost()), r.getDataAddress());
            case SourceConnected r -> new MigrationEvent.SourceConnected(new HostId(r.getHost()));
            case PrecopyRoundCompleted r -> new MigrationEvent.PrecopyRoundCompleted(stats(r.getProgress()));
            case PrecopyConverged r -> new MigrationEvent.PrecopyConverged(r.getRounds(), r.getDirtyPagesRemaining(),
                    r.getExpectedDowntimeMs());
            case FinalCopyCompleted r -> new MigrationEvent.FinalCopyCompleted(r.getPausedAt(), r.getPagesSent(),
                    r.getBytesSent(), r.getMemoryChecksum());
            case StorageReleased r -> new MigrationEvent.StorageReleased(new HostId(r.getHost()), r.getEpoch());
            case StorageAcquired r -> new MigrationEvent.StorageAcquired(new HostId(r.getHost()), r.getEpoch());
            case VmResumed r -> new MigrationEvent.VmResumed(new HostId(r.getHost()), r.getResumedAt(), r.getDowntimeMs(),
                    r.getMemoryChecksum(), r.getDowntimeBreakdown() == null ? null : breakdown(r.getDowntimeBreakdown()));
            case NetworkAnnounced r -> new MigrationEvent.NetworkAnnounced(new HostId(r.getHost()), r.getMacAddress());
            case SourceStopped r -> new MigrationEvent.SourceStopped(new HostId(r.getHost()));
            case MigrationCompleted r -> new MigrationEvent.MigrationCompleted(r.getTotalMs(), r.getDowntimeMs(), r.getRounds(),
                    r.getPagesSent(), r.getBytesSent());
            case MigrationFailed r -> new MigrationEvent.MigrationFailed(Stage.valueOf(r.getStage()),
                    FailureReason.valueOf(r.getReason()), r.getDetail());
            case MigrationAdmitted r -> new MigrationEvent.MigrationAdmitted(r.getActiveOnSource(), r.getActiveInCluster());
            case CleanupStepFailed r -> new MigrationEvent.CleanupStepFailed(StageAction.valueOf(r.getAction()),
                    FailureReason.valueOf(r.getReason()), r.getDetail(), r.getRetrying());
            case CancelRequested r -> new MigrationEvent.CancelRequested(r.getRequestedBy(), Stage.valueOf(r.getStage()));
            case CancelRefused r -> new MigrationEvent.CancelRefused(r.getRequestedBy(), r.getState(), r.getDetail());
            case AbortConfirmed r -> new MigrationEvent.AbortConfirmed(new HostId(r.getHost()));
            case AbortUnconfirmed r -> new MigrationEvent.AbortUnconfirmed(new HostId(r.getHost()), r.getDetail());
            case MigrationCancelled r -> new MigrationEvent.MigrationCancelled(r.getRequestedBy(), r.getCancelledIn());
            case MigrationRolledBack r -> new MigrationEvent.MigrationRolledBack(r.getNote());
            case RollbackIncomplete r -> new MigrationEvent.RollbackIncomplete(r.getDetail());
            default -> throw new IllegalStateException("no mapping for event record " + record.getSchema().getFullName());
        };
    }

    public static VmConfig vmConfig(VmSpec vm) {
        return new VmConfig(vm.vmId().value(), vm.memoryMb(), vm.vcpus(), vm.macAddress(), vm.diskPath(), vm.cpuFeatures());
    }

    static VmSpec vmSpec(VmConfig c) {
        return new VmSpec(new VmId(c.getVmId()), c.getMemoryMb(), c.getVcpus(), c.getMacAddress(), c.getDiskPath(),
                c.getCpuFeatures());
    }

    public static MigrationPolicy policy(Policy p) {
        return new MigrationPolicy(p.maxDowntimeMs(), p.bandwidthMbps(), p.maxRounds(), p.autoConverge(),
                Compression.valueOf(p.compression().name()), p.progressTimeoutS(), p.completionTimeoutPerGiBS());
    }

    static Policy policy(MigrationPolicy p) {
        return new Policy(p.getMaxDowntimeMs(), p.getBandwidthMbps(), p.getMaxRounds(), p.getAutoConverge(),
                Policy.Compression.valueOf(p.getCompression().name()), p.getProgressTimeoutS(),
                p.getCompletionTimeoutPerGiBS());
    }

    static CopyProgress progress(CopyStats s) {
        return new CopyProgress(s.round(), s.pagesSent(), s.bytesSent(), s.zeroPages(), s.dirtyPagesRemaining(),
                s.dirtyRatePagesPerSec(), s.throughputMbps(), s.expectedDowntimeMs(), s.roundMs(), s.uncompressedBytes(),
                s.throttlePercent());
    }

    public static CopyStats stats(CopyProgress p) {
        return new CopyStats(p.getRound(), p.getPagesSent(), p.getBytesSent(), p.getZeroPages(), p.getDirtyPagesRemaining(),
                p.getDirtyRatePagesPerSec(), p.getThroughputMbps(), p.getExpectedDowntimeMs(), p.getRoundMs(),
                p.getUncompressedBytes(), p.getThrottlePercent());
    }

    static io.ferry.schema.common.DowntimeBreakdown breakdown(DowntimeBreakdown b) {
        return new io.ferry.schema.common.DowntimeBreakdown(b.totalUs(), b.lastPageUs(), b.deviceStateUs(),
                b.digestCheckUs(), b.storageHandoffUs(), b.resumeUs(), b.otherUs(), b.authorisationWaitUs());
    }

    public static DowntimeBreakdown breakdown(io.ferry.schema.common.DowntimeBreakdown b) {
        return new DowntimeBreakdown(b.getTotalUs(), b.getLastPageUs(), b.getDeviceStateUs(), b.getDigestCheckUs(),
                b.getStorageHandoffUs(), b.getResumeUs(), b.getOtherUs(), b.getAuthorisationWaitUs());
    }


    private static io.ferry.schema.common.MigrationEstimate estimate(io.ferry.orchestrator.core.Forecast f) {
        return new io.ferry.schema.common.MigrationEstimate(f.converges(), f.rounds(), f.totalMs(), f.precopyMs(),
                f.downtimeMs(), f.throttlePercent(), f.linkMbps(), f.why(), f.sampledAt(), f.bandwidthNeededMbps(),
                f.autoConvergeThrottlePercent(), f.maxDowntimeNeededMs(), f.sampledDirtyPagesPerSec());
    }

    private static io.ferry.orchestrator.core.Forecast forecast(io.ferry.schema.common.MigrationEstimate e) {
        return new io.ferry.orchestrator.core.Forecast(e.getConverges(), e.getRounds(), e.getTotalMs(), e.getPrecopyMs(),
                e.getDowntimeMs(), e.getThrottlePercent(), e.getLinkMbps(), e.getWhy(), e.getSampledAt(),
                e.getBandwidthNeededMbps(), e.getAutoConvergeThrottlePercent(), e.getMaxDowntimeNeededMs(),
                e.getSampledDirtyPagesPerSec());
    }

    private static PlacementDecision placement(Placement p) {
        return new PlacementDecision(p.chosen().value(), p.why(), p.ruledOut().stream()
                .map(r -> new RuledOutHost(r.host().value(), r.reason())).toList());
    }

    private static Placement placement(PlacementDecision p) {
        return new Placement(new HostId(p.getChosen()), p.getWhy(), p.getRuledOut().stream()
                .map(r -> new Placement.RuledOut(new HostId(r.getHost()), r.getReason())).toList());
    }
}
