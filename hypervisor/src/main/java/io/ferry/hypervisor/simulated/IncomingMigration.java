package io.ferry.hypervisor.simulated;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Destination side of one migration's data channel: admits its one source, applies what it sends to the skeleton. */
final class IncomingMigration {
    private static final Logger log = LoggerFactory.getLogger(IncomingMigration.class);

    final String migrationId;
    final SimulatedVm skeleton;
    /** Completes with the source's checksum once memory and device state arrived and matched. */
    final CompletableFuture<String> verified = new CompletableFuture<>();
    /** Page checksums the destination computed when the source completed. */
    volatile int[] verifiedPages;
    /** When the source paused the guest, as it said with COMPLETE. */
    volatile java.time.Instant pausedAt;
    /** CRC of each page as stored here; pages never sent are still zero. */
    private final int[] storedCrc;
    /** The one-time secret's bytes, or null when the command carried none: then no connection is admitted. */
    private final byte[] token;
    private final AtomicBoolean admitted = new AtomicBoolean();
    private volatile boolean closed;
    /** The admitted source's connection, closed when this migration is: pages are read from it into the skeleton. */
    private volatile ChannelInput connection;
    // Batch buffers, used only by the one admitted connection's thread.
    private final byte[] headers = new byte[Frames.RAW_BATCH_PAGES * Frames.PAGE_HEADER];
    private final byte[] pageCrcs = new byte[Frames.RAW_BATCH_PAGES * 4];
    private final ByteBuffer pageCrcView = ByteBuffer.wrap(pageCrcs);
    private final ByteBuffer[] targets = new ByteBuffer[Frames.RAW_BATCH_PAGES];
    private final int[] runFirst = new int[Frames.RAW_BATCH_PAGES];
    private final ByteBuffer headerView = ByteBuffer.wrap(headers);
    private final byte[] data = new byte[Frames.BATCH_BYTES];
    private final byte[] packed = new byte[Frames.BATCH_BYTES];
    private final CRC32C crc = new CRC32C();

    /** Where the source's data channel must come from; null when the orchestrator did not know it. */
    private final String sourceDataHost;
    /** Allocates the skeleton's memory from the moment it is prepared, ahead of the stream. */
    private final Prefaulter prefaulter;
    /** How long the source may be kept waiting for the prefault before round 1 starts anyway. */
    static final long PREFAULT_MAX_WAIT_MS = 60_000;

    IncomingMigration(String migrationId, SimulatedVm skeleton, String token, String sourceDataHost) {
        this.migrationId = migrationId;
        this.sourceDataHost = sourceDataHost == null || sourceDataHost.isBlank() ? null : sourceDataHost.strip();
        this.skeleton = skeleton;
        this.storedCrc = PageCrc.allZero(skeleton.memory().pages());
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.prefaulter = new Prefaulter(skeleton.memory(), migrationId);
        if (this.token == null) {
            log.warn("the command preparing migration {} carried no data-channel token: its data channel will refuse"
                    + " every connection; abort the migration and submit it again", migrationId);
        }
    }

    /**
     * Why no handshake can succeed for this migration at all, or null when the challenge may go out. Being aborted or
     * already connected is told only after a valid proof, so a peer without the token learns only that it lacks it.
     */
    String challengeable() {
        return token == null ? "the skeleton was prepared without a data-channel token, so it admits no source" : null;
    }

    /** The destination's proof that it holds the token, for this connection's nonces. */
    byte[] proof(byte[] sourceNonce, byte[] destinationNonce) {
        return Handshake.proof(token, Handshake.Role.DESTINATION, migrationId, sourceNonce, destinationNonce);
    }

    /**
     * Admits the first connection that proves it holds this migration's token (an HMAC over both nonces, compared in
     * constant time) and comes from the source's data address when that is known. The answer is null when admitted, else
     * why not (never containing the token or the proof).
     */
    String admit(java.net.InetAddress peer, byte[] sourceNonce, byte[] destinationNonce, byte[] presented) {
        if (token == null) {
            return challengeable();
        }
        if (!Handshake.matches(token, Handshake.Role.SOURCE, migrationId, sourceNonce, destinationNonce, presented)) {
            return "the connection did not prove it holds the migration's data-channel token";
        }
        String wrongPlace = fromTheSource(peer);
        if (wrongPlace != null) {
            return wrongPlace;
        }
        if (closed) {
            return "the migration was aborted on the destination";
        }
        if (!admitted.compareAndSet(false, true)) {
            return "a source is already connected; the token admits one connection only";
        }
        return null;
    }

    /** Null when the peer is at one of the source's data addresses (or they are not known), else why not. */
    private String fromTheSource(java.net.InetAddress peer) {
        if (sourceDataHost == null) {
            return null;
        }
        try {
            for (java.net.InetAddress expected : java.net.InetAddress.getAllByName(sourceDataHost)) {
                if (expected.equals(peer)) {
                    return null;
                }
            }
            return "it comes from " + peer.getHostAddress() + ", not from the source's data address " + sourceDataHost
                    + " (the source's ferry.agent.advertised-host must be the address it connects from)";
        } catch (java.net.UnknownHostException e) {
            return "the source's data address " + sourceDataHost + " does not resolve here, so no connection can be "
                    + "checked against it";
        }
    }

    void close() {
        closed = true;
        prefaulter.stop(); // before the caller may destroy the skeleton's memory
        ChannelInput connection = this.connection;
        if (connection != null) {
            try {
                connection.close(); // a read blocked on it holds the skeleton's memory, which is about to go
            } catch (IOException e) {
                log.debug("closing the data channel of migration {}: {}", migrationId, e.toString());
            }
        }
        verified.completeExceptionally(new IOException("migration " + migrationId + " was aborted on the destination"));
    }

    /** Runs after an admitted HELLO: checks the configuration, then applies frames until COMPLETE. */
    void serve(ChannelInput input, DataInputStream in, DataOutputStream out) throws IOException {
        connection = input;
        if (closed) {
            input.close(); // aborted while admitting it
        }
        if (in.readByte() != Frames.CONFIG) {
            DataChannelCodec.reply(out, false, "expected the VM configuration after HELLO");
            return;
        }
        DataChannelCodec.Config config = DataChannelCodec.readConfig(in);
        if (!config.vmId().equals(skeleton.spec().vmId()) || config.memoryMb() != skeleton.spec().memoryMb()) {
            DataChannelCodec.reply(out, false, "configuration " + config.vmId() + "/" + config.memoryMb()
                    + " MB does not match the skeleton " + skeleton.spec().vmId() + "/" + skeleton.spec().memoryMb() + " MB");
            return;
        }
        DataChannelCodec.reply(out, true, "skeleton " + config.vmId() + " ready");
        try (BatchDecompressor decompressor = new BatchDecompressor()) {
            while (!closed) {
                byte type = in.readByte();
                switch (type) {
                    case Frames.PAGES -> receivePages(in, decompressor);
                    case Frames.PAGES_RAW -> receiveRaw(input, in);
                    case Frames.HINT -> prefaulter.hint(DataChannelCodec.readHint(in, skeleton.memory().pages()));
                    case Frames.AWAIT_PREFAULT -> {
                        int bandwidthMbps = DataChannelCodec.readAwaitPrefault(in);
                        String outcome = prefaulter.awaitAhead(bandwidthMbps, PREFAULT_MAX_WAIT_MS, () -> closed);
                        if (closed) {
                            DataChannelCodec.reply(out, false, "the migration was aborted on the destination");
                            return;
                        }
                        log.info("migration {}: {}", migrationId, outcome);
                        DataChannelCodec.reply(out, true, outcome);
                    }
                    case Frames.DEVICE_STATE -> skeleton.loadDeviceState(DataChannelCodec.readDeviceState(in));
                    case Frames.COMPLETE -> {
                        DataChannelCodec.Complete complete = DataChannelCodec.readComplete(in);
                        pausedAt = complete.pausedAt();
                        long started = System.nanoTime();
                        verify(complete.checksum(), out);
                        org.slf4j.LoggerFactory.getLogger(IncomingMigration.class).info(
                                "migration {}: COMPLETE received {} ms after the source paused, verified in {} ms",
                                migrationId, System.currentTimeMillis() - pausedAt.toEpochMilli(),
                                (System.nanoTime() - started) / 1_000_000);
                        return;
                    }
                    default -> throw new IOException("unknown frame type " + type + " on the data channel");
                }
            }
        }
    }

    private void verify(String expected, DataOutputStream out) throws IOException {
        int[] pages = storedCrc.clone(); // kept page by page as data arrived: no memory pass in the blackout
        String actual = GuestMemory.digest(pages, skeleton.deviceState());
        verifiedPages = pages;
        if (actual.equals(expected)) {
            DataChannelCodec.reply(out, true, actual);
            verified.complete(actual);
        } else {
            DataChannelCodec.reply(out, false, "destination memory " + actual + " != source " + expected);
            verified.completeExceptionally(new IOException("memory mismatch: " + actual + " != " + expected));
        }
    }

    private void receivePages(DataInputStream in, BatchDecompressor decompressor) throws IOException {
        DataChannelCodec.Batch batch = DataChannelCodec.readPageHeaders(in, headers, skeleton.memory().pages(), false);
        int headerLength = batch.count() * Frames.PAGE_HEADER;
        int rawLength = batch.dataPages() * GuestMemory.PAGE_SIZE;
        byte codec = in.readByte();
        int length = in.readInt();
        if (codec == Frames.CODEC_RAW) {
            if (length != rawLength) {
                throw new IOException("raw page batch of " + length + " bytes, its headers announced " + rawLength);
            }
            in.readFully(data, 0, rawLength);
        } else {
            // The source sends a batch compressed only when that made it smaller.
            if (length <= 0 || length >= rawLength) {
                throw new IOException("compressed page batch of " + length + " bytes for " + rawLength + " is out of range");
            }
            in.readFully(packed, 0, length);
            decompressor.decompress(codec, packed, length, data, rawLength);
        }
        long expected = in.readLong();
        crc.reset();
        crc.update(headers, 0, headerLength);
        crc.update(data, 0, rawLength);
        if (expected != crc.getValue()) {
            throw new IOException("page batch checksum mismatch: the data channel corrupted data");
        }
        apply(headerLength);
    }

    /**
     * A raw batch: headers and page checksums first (checked together), then the pages straight from the socket into
     * guest memory, each checked there against its checksum. A corrupted page has then already landed in the
     * skeleton, which is fine: the channel fails, so the skeleton never resumes and the abort discards it.
     */
    private void receiveRaw(ChannelInput input, DataInputStream in) throws IOException {
        GuestMemory memory = skeleton.memory();
        DataChannelCodec.Batch batch = DataChannelCodec.readPageHeaders(in, headers, memory.pages(), true);
        int headerLength = batch.count() * Frames.PAGE_HEADER;
        int dataPages = batch.dataPages();
        in.readFully(pageCrcs, 0, dataPages * 4);
        int expected = in.readInt();
        crc.reset();
        crc.update(headers, 0, headerLength);
        crc.update(pageCrcs, 0, dataPages * 4);
        if (expected != (int) crc.getValue()) {
            throw new IOException("page batch header checksum mismatch: the data channel corrupted data");
        }
        // Runs of consecutive DATA pages become one view each, so the socket fills them with few reads.
        int views = 0;
        int runStart = -1;
        int runLength = 0;
        for (int at = 0; at < headerLength; at += Frames.PAGE_HEADER) {
            if (headers[at + 4] != Frames.PAGE_DATA) {
                continue;
            }
            int page = headerView.getInt(at);
            if (runLength > 0 && page == runStart + runLength && memory.oneMapping(runStart, page)) {
                runLength++;
                continue;
            }
            if (runLength > 0) {
                runFirst[views] = runStart;
                targets[views++] = memory.pages(runStart, runLength);
            }
            runStart = page;
            runLength = 1;
        }
        if (runLength > 0) {
            runFirst[views] = runStart;
            targets[views++] = memory.pages(runStart, runLength);
        }
        input.readFully(targets, views);
        // Each page checked where it landed: the runs hold the DATA pages in header order, as the checksums are.
        int next = 0;
        for (int v = 0; v < views; v++) {
            ByteBuffer view = targets[v];
            targets[v] = null;
            for (int k = 0, pages = view.capacity() / GuestMemory.PAGE_SIZE; k < pages; k++) {
                view.limit((k + 1) * GuestMemory.PAGE_SIZE).position(k * GuestMemory.PAGE_SIZE);
                crc.reset();
                crc.update(view);
                int actual = (int) crc.getValue();
                int page = runFirst[v] + k;
                if (actual != pageCrcView.getInt(4 * next++)) {
                    throw new IOException("page " + page + " arrived corrupted: its checksum does not match the source's");
                }
                memory.loaded(page);
                storedCrc[page] = actual;
            }
        }
        for (int at = 0; at < headerLength; at += Frames.PAGE_HEADER) {
            if (headers[at + 4] == Frames.PAGE_ZERO) {
                int page = headerView.getInt(at);
                memory.loadZero(page);
                storedCrc[page] = PageCrc.ZERO_PAGE;
            }
        }
        prefaulter.streamedUpTo(headerView.getInt(headerLength - Frames.PAGE_HEADER) + 1);
    }

    private void apply(int headerLength) {
        GuestMemory memory = skeleton.memory();
        if (headerLength > 0) {
            prefaulter.streamedUpTo(headerView.getInt(headerLength - Frames.PAGE_HEADER) + 1);
        }
        int next = 0;
        for (int at = 0; at < headerLength; at += Frames.PAGE_HEADER) {
            int page = headerView.getInt(at);
            if (headers[at + 4] == Frames.PAGE_ZERO) {
                memory.loadZero(page);
                storedCrc[page] = PageCrc.ZERO_PAGE;
            } else {
                int offset = next++ * GuestMemory.PAGE_SIZE;
                memory.load(page, data, offset);
                storedCrc[page] = PageCrc.of(data, offset);
            }
        }
    }

}
