package io.ferry.hypervisor.simulated;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.schema.common.FailureReason;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.zip.CRC32C;

/**
 * Source side of one migration's data channel: sends pages in checksummed, optionally compressed batches; TCP gives
 * back-pressure. Batch buffers are allocated once, so the per-batch cost is the copy, the checksum and the codec.
 */
final class OutgoingMigration implements AutoCloseable {
    final String migrationId;
    final SimulatedVm vm;
    /** CRC of each page as last sent: once the paused guest's dirty pages are sent, this is its memory. */
    final int[] sentCrc;
    /** The emulated link's cap, set by pre-copy and kept for the final copy; 0 = uncapped. */
    volatile int bandwidthMbps;
    private final Socket socket;
    private final SocketChannel channel;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final byte[] headers = new byte[Frames.RAW_BATCH_PAGES * Frames.PAGE_HEADER];
    private final ByteBuffer headerView = ByteBuffer.wrap(headers);
    /** The batch's DATA pages back to back: zero pages take no room here, so the codec sees only real content. */
    private final byte[] data = new byte[Frames.BATCH_BYTES];
    private final CRC32C crc = new CRC32C();
    // A raw batch: its DATA pages staged off-heap (one copy out of the running guest, so what is checksummed is what
    // is sent), written with the frame's head in one gathering write, without the JDK's copy of a heap array.
    private final ByteBuffer rawPayload = ByteBuffer.allocateDirect(Frames.RAW_BATCH_BYTES);
    private final ByteBuffer crcView = rawPayload.duplicate();
    private final ByteBuffer rawHead = ByteBuffer.allocateDirect(DataChannelCodec.RAW_HEAD_CAPACITY);
    private final ByteBuffer[] rawFrame = {rawHead, rawPayload};
    private final int[] pageCrcs = new int[Frames.RAW_BATCH_PAGES];
    /** The paused guest's page checksums, computed once the final copy is done (see {@link #checksumPausedMemory}). */
    private volatile java.util.concurrent.CompletableFuture<int[]> pausedChecksums;
    /** Sends the page hint after connecting (see {@link #open}); joined before pre-copy sends anything. */
    private Thread hint;
    private volatile Exception hintFailure;
    /** Whether the batch being filled goes as PAGES_RAW; decided when its first page is queued. */
    private boolean rawBatch;
    /** Pages staged and discarded before round 1 (see {@link #warmUp}): 160 MB, about 40 ms once compiled. */
    private static final int WARM_UP_PAGES = 40_000;
    private volatile BatchCompressor compressor = new BatchCompressor(Compression.NONE);
    private int batchSize;
    private int dataPages;
    private volatile boolean cancelled;
    private volatile boolean closed;
    long pagesSent;
    long zeroPages;
    /** Bytes on the wire. */
    long bytesSent;
    /** What the same frames would have cost uncompressed; equals {@link #bytesSent} without compression. */
    long uncompressedBytes;

    private OutgoingMigration(String migrationId, SimulatedVm vm, SocketChannel channel) throws IOException {
        this.migrationId = migrationId;
        this.vm = vm;
        this.sentCrc = PageCrc.allZero(vm.memory().pages());
        this.channel = channel;
        this.socket = channel.socket();
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), Frames.SOCKET_BUFFER));
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    }

    /** Stage 1: connect, prove both ends hold the migration's one-time token, then send the VM configuration. */
    static OutgoingMigration open(String migrationId, String token, SimulatedVm vm, String dataAddress) {
        if (token == null || token.isBlank()) {
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "the command to connect migration " + migrationId
                    + " carried no data-channel token, so the destination would refuse it; the orchestrator must send"
                    + " the token it gave the destination");
        }
        int colon = dataAddress.lastIndexOf(':');
        if (colon < 1) {
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "data address '" + dataAddress + "' is not host:port");
        }
        Socket socket = null;
        try {
            SocketChannel channel = SocketChannel.open();
            socket = channel.socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(dataAddress.substring(0, colon),
                    Integer.parseInt(dataAddress.substring(colon + 1))), 5_000);
            OutgoingMigration outgoing = new OutgoingMigration(migrationId, vm, channel);
            outgoing.handshake(token.getBytes(java.nio.charset.StandardCharsets.UTF_8), dataAddress);
            DataChannelCodec.config(outgoing.out, vm.spec().vmId(), vm.spec().memoryMb());
            outgoing.expectOk("configuration");
            // The hint reads every used page (about 0.1 s per GiB in a fresh agent): it goes while the orchestrator
            // hears that the source connected, and pre-copy waits for it before anything else is sent.
            outgoing.hint = Thread.ofPlatform().daemon().name("hint-" + migrationId).start(() -> {
                try {
                    outgoing.sendHint();
                } catch (IOException | RuntimeException e) {
                    outgoing.hintFailure = e;
                }
            });
            return outgoing;
        } catch (IOException | NumberFormatException e) {
            closeQuietly(socket);
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED,
                    "cannot open the data channel to " + dataAddress + ": " + e.getMessage(), e);
        }
    }

    /**
     * Each round trip on its own: a refused source has sent nothing more, so it reads the ERROR, not a reset. The
     * destination's proof is checked last, so a refusal reads as the destination's reason; without a valid proof
     * nothing of the guest is sent to that peer.
     */
    private void handshake(byte[] token, String dataAddress) throws IOException {
        byte[] sourceNonce = Handshake.nonce();
        DataChannelCodec.hello(out, migrationId, sourceNonce);
        byte type = in.readByte();
        if (type != Frames.CHALLENGE) {
            String message = in.readUTF();
            throw new IOException("destination refused the connection: " + message);
        }
        DataChannelCodec.Challenge challenge = DataChannelCodec.readChallenge(in);
        byte[] destinationNonce = challenge.destinationNonce();
        byte[] destinationProof = challenge.destinationProof();
        DataChannelCodec.proof(out, Handshake.proof(token, Handshake.Role.SOURCE, migrationId, sourceNonce,
                destinationNonce));
        expectOk("connection");
        if (!Handshake.matches(token, Handshake.Role.DESTINATION, migrationId, sourceNonce, destinationNonce,
                destinationProof)) {
            throw new IOException("the peer at " + dataAddress + " did not prove it holds migration " + migrationId
                    + "'s data-channel token, so it is not the destination the orchestrator named; nothing was sent");
        }
    }

    /**
     * Tells the destination which pages round 1 will send with content, so it allocates those ahead of the stream
     * and no others. Only a hint: the guest runs on, and a page it fills later is allocated when it arrives.
     */
    private void sendHint() throws IOException {
        long bytes = DataChannelCodec.hint(out, vm.memory().contentPages());
        out.flush();
        bytesSent += bytes;
        uncompressedBytes += bytes;
    }

    /**
     * Before round 1: waits until the destination's memory is allocated far enough ahead that a link of
     * {@code bandwidthMbps} (0: uncapped) never catches up with it; answers what the destination reported.
     */
    String awaitDestinationMemory(int bandwidthMbps) throws IOException {
        try {
            hint.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the page hint was being sent", e);
        }
        if (hintFailure != null) {
            throw new IOException("the page hint could not be sent: " + hintFailure.getMessage(), hintFailure);
        }
        long bytes = DataChannelCodec.awaitPrefault(out, bandwidthMbps);
        bytesSent += bytes;
        uncompressedBytes += bytes;
        warmUp();
        return expectOk("wait for its memory");
    }

    /**
     * While the destination allocates: stage pages as round 1 will, and throw the result away, until its answer is
     * there or the path has run long enough to be compiled. Otherwise the first part of round 1 runs in the
     * interpreter, which in a fresh agent costs a good share of an uncapped round 1's time.
     */
    private void warmUp() throws IOException {
        GuestMemory memory = vm.memory();
        long[] used = memory.usedPages();
        int staged = 0;
        for (int word = 0; word < used.length && staged < WARM_UP_PAGES && batchSize == 0; word++) {
            for (long bits = used[word]; bits != 0 && staged < WARM_UP_PAGES; bits &= bits - 1) {
                int page = word * 64 + Long.numberOfTrailingZeros(bits);
                if (!memory.isZero(page)) {
                    stage(memory, page, staged++ % Frames.RAW_BATCH_PAGES);
                }
            }
            if ((word & 3) == 0 && (cancelled || in.available() > 0)) {
                break; // the destination answered: round 1 starts now
            }
        }
        rawPayload.clear();
    }

    /** Sets the codec for the batches sent from now on; a repeated call with the same setting keeps the codec. */
    void compression(Compression compression) {
        Compression wanted = compression == null ? Compression.NONE : compression;
        BatchCompressor current = compressor;
        if (current.compression() != wanted) {
            compressor = new BatchCompressor(wanted);
            current.close();
            if (closed) {
                compressor.close(); // a close that raced this swap must not leave native state behind
            }
        }
    }

    void cancel() {
        cancelled = true;
        trickling = false;
        close();
    }

    boolean isOpen() {
        return !closed && !socket.isClosed();
    }

    boolean cancelled() {
        return cancelled;
    }

    /** Sends every page whose bit is set in {@code bitmap}, then flushes the last batch. */
    void sendPages(long[] bitmap, Pacer pacer) throws IOException {
        sendPages(bitmap, pacer, () -> true);
    }

    /**
     * Sends the pages set in {@code bitmap} while {@code go} says so, asked before each word of 64; returns the first
     * word it did not send ({@code bitmap.length}: all of them).
     */
    private int sendPages(long[] bitmap, Pacer pacer, java.util.function.BooleanSupplier go) throws IOException {
        int word = 0;
        for (; word < bitmap.length && go.getAsBoolean(); word++) {
            for (long bits = bitmap[word]; bits != 0; bits &= bits - 1) {
                sendPage(word * 64 + Long.numberOfTrailingZeros(bits), pacer);
            }
            if (cancelled) {
                throw new IOException("migration " + migrationId + " was cancelled");
            }
        }
        flushBatch(pacer);
        return word;
    }

    /** Queues one page (read now, so the newest data goes); full batches are flushed to the wire. */
    private void sendPage(int page, Pacer pacer) throws IOException {
        GuestMemory memory = vm.memory();
        if (batchSize == 0) {
            rawBatch = compressor.compression() == Compression.NONE;
        }
        boolean zero = memory.isZero(page);
        int at = batchSize++ * Frames.PAGE_HEADER;
        headerView.putInt(at, page);
        headers[at + 4] = zero ? Frames.PAGE_ZERO : Frames.PAGE_DATA;
        if (zero) {
            sentCrc[page] = PageCrc.ZERO_PAGE;
        } else if (rawBatch) {
            pageCrcs[dataPages] = stage(memory, page, dataPages);
            sentCrc[page] = pageCrcs[dataPages++];
        } else {
            int offset = dataPages++ * GuestMemory.PAGE_SIZE;
            memory.read(page, data, offset);
            sentCrc[page] = PageCrc.of(data, offset);
        }
        if (batchSize == (rawBatch ? Frames.RAW_BATCH_PAGES : Frames.BATCH_PAGES)) {
            flushBatch(pacer);
        }
    }

    /** Copies a page into slot {@code slot} of the raw batch's staging and returns its checksum there. */
    private int stage(GuestMemory memory, int page, int slot) {
        int offset = slot * GuestMemory.PAGE_SIZE;
        memory.read(page, rawPayload, offset);
        crc.reset();
        crc.update(crcView.limit(offset + GuestMemory.PAGE_SIZE).position(offset));
        return (int) crc.getValue();
    }

    private void flushBatch(Pacer pacer) throws IOException {
        if (batchSize == 0) {
            return;
        }
        if (cancelled) {
            throw new IOException("migration " + migrationId + " was cancelled");
        }
        if (rawBatch) {
            flushRaw(pacer);
            return;
        }
        int headerLength = batchSize * Frames.PAGE_HEADER;
        int rawLength = dataPages * GuestMemory.PAGE_SIZE;
        crc.reset();
        crc.update(headers, 0, headerLength);
        crc.update(data, 0, rawLength);
        BatchCompressor codec = compressor;
        int packedLength = codec.compress(data, rawLength);
        boolean packed = packedLength >= 0;
        DataChannelCodec.pagesHead(out, batchSize, headers);
        DataChannelCodec.pagesBody(out, packed ? codec.codec() : Frames.CODEC_RAW, packed ? codec.packed() : data,
                packed ? packedLength : rawLength, crc.getValue());
        counted(DataChannelCodec.pagesFrame(batchSize, packed ? packedLength : rawLength),
                DataChannelCodec.pagesFrame(batchSize, rawLength), pacer);
    }

    private void flushRaw(Pacer pacer) throws IOException {
        int rawLength = dataPages * GuestMemory.PAGE_SIZE;
        DataChannelCodec.rawHead(rawHead, batchSize, headers, pageCrcs, dataPages, crc);
        rawPayload.clear().limit(rawLength);
        out.flush(); // anything queued on the stream goes first
        while (rawHead.hasRemaining() || rawPayload.hasRemaining()) {
            channel.write(rawFrame);
        }
        rawPayload.clear(); // the next batch stages its pages by absolute index, up to the capacity
        long frame = DataChannelCodec.rawFrame(batchSize, dataPages);
        counted(frame, frame, pacer);
    }

    private void counted(long wire, long uncompressed, Pacer pacer) {
        pagesSent += batchSize;
        zeroPages += batchSize - dataPages;
        bytesSent += wire;
        uncompressedBytes += uncompressed;
        batchSize = 0;
        dataPages = 0;
        pacer.sent(wire);
    }

    /** Stage 3: the register/device state of the paused guest. */
    void sendDeviceState(byte[] deviceState) throws IOException {
        long bytes = DataChannelCodec.deviceState(out, deviceState);
        bytesSent += bytes;
        uncompressedBytes += bytes;
    }

    /** Stage 3: the source's checksum; the destination answers whether its copy matches. */
    String complete(String checksum, java.time.Instant pausedAt) throws IOException {
        long bytes = DataChannelCodec.complete(out, checksum, pausedAt);
        bytesSent += bytes;
        uncompressedBytes += bytes;
        return expectOk("final copy");
    }

    void flush() throws IOException {
        out.flush();
    }

    private volatile boolean trickling;
    private Thread trickle;
    private volatile IOException trickleFailure;
    /** Counters when pre-copy converged: the final copy reports what went after, trickle included. */
    long pagesAtConvergence;
    long bytesAtConvergence;

    /**
     * Between convergence and the final-copy command the guest still runs; keep sending what it dirties so the
     * set left for the blackout stays as small as at convergence, however long the command takes to arrive. The
     * command stops it within a word of 64 pages, what it had not sent yet dirty again for the final copy: a guest that
     * dirties all its memory between two harvests would otherwise hold the pause back by a whole round (2026-12-02: a
     * 1 GiB write-heavy guest at 1,000 Mbit/s, 18.5 s from the final-copy command to its end, 9.5 s of it paused).
     */
    synchronized void startTrickle() {
        pagesAtConvergence = pagesSent;
        bytesAtConvergence = bytesSent;
        trickling = true;
        trickle = Thread.ofPlatform().daemon().name("trickle-" + migrationId).start(() -> {
            Pacer pacer = new Pacer(bandwidthMbps);
            try {
                while (trickling) {
                    long[] dirty = vm.memory().harvestDirty();
                    if (java.util.Arrays.stream(dirty).anyMatch(w -> w != 0)) {
                        int sent = sendPages(dirty, pacer, () -> trickling);
                        vm.memory().redirty(dirty, sent);
                        out.flush();
                    } else {
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    }
                }
            } catch (IOException e) {
                trickleFailure = e;
            }
        });
    }

    /** Stops the trickle and waits for it, so the final copy has the channel to itself. */
    synchronized void stopTrickle() throws IOException {
        trickling = false;
        if (trickle != null) {
            try {
                trickle.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping the pre-copy trickle", e);
            }
            trickle = null;
        }
        if (trickleFailure != null) {
            throw trickleFailure;
        }
    }

    private String expectOk(String what) throws IOException {
        DataChannelCodec.Reply reply = DataChannelCodec.readReply(in);
        if (!reply.ok()) {
            throw new IOException("destination refused the " + what + ": " + reply.message());
        }
        return reply.message();
    }

    /**
     * The final copy is done and the guest stays paused until the source is discarded (or an abort resumes it): reads
     * its memory's checksums now, in the background, so the self-check at discard ({@link #pausedMemoryChecksums})
     * need not read a whole guest's memory after the resume, where it held up the migration's end (~0.1 s per 550 MB
     * used here) while the orchestrator's hops to STOP_SOURCE left the CPU idle.
     */
    void checksumPausedMemory() {
        var future = new java.util.concurrent.CompletableFuture<int[]>();
        pausedChecksums = future;
        Thread.ofPlatform().daemon().name("self-check-" + migrationId).start(() -> {
            try {
                future.complete(vm.memory().pageChecksums());
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        });
    }

    /** The paused guest's page checksums: those read after the final copy, or read now when there are none. */
    int[] pausedMemoryChecksums() {
        var future = pausedChecksums;
        if (future != null) {
            try {
                return future.join();
            } catch (java.util.concurrent.CompletionException e) {
                // read again below, where a failure is the caller's to see
            }
        }
        return vm.memory().pageChecksums();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(socket);
        compressor.close();
    }

    private static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a broken connection: nothing left to do
        }
    }
}
