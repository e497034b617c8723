package io.ferry.hypervisor.simulated;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.ferry.hypervisor.Hypervisor.Compression;
import java.io.IOException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * Source side: compresses one batch's page payload with the migration's codec. One per migration and used by one
 * sender at a time; the native state and output buffer are reused, so a batch allocates nothing. The lock only
 * keeps {@link #close()} (an abort on another thread) from freeing native state mid-call.
 */
final class BatchCompressor implements AutoCloseable {
    /** Level 1, as QEMU's multifd zstd uses: most of the gain for a fraction of the CPU of higher levels. */
    private static final int ZSTD_LEVEL = 1;

    private final Compression compression;
    private final byte codec;
    private final LZ4Compressor lz4;
    private final ZstdCompressCtx zstd;
    private final byte[] packed;
    private boolean closed;

    BatchCompressor(Compression compression) {
        this.compression = compression == null ? Compression.NONE : compression;
        switch (this.compression) {
            case LZ4 -> {
                lz4 = lz4Compressor();
                zstd = null;
                codec = Frames.CODEC_LZ4;
                packed = new byte[lz4.maxCompressedLength(Frames.BATCH_BYTES)];
            }
            case ZSTD -> {
                lz4 = null;
                zstd = new ZstdCompressCtx().setLevel(ZSTD_LEVEL);
                codec = Frames.CODEC_ZSTD;
                packed = new byte[(int) Zstd.compressBound(Frames.BATCH_BYTES)];
            }
            default -> {
                lz4 = null;
                zstd = null;
                codec = Frames.CODEC_RAW;
                packed = new byte[0];
            }
        }
    }

    // The native fast-reset compressor keeps its hash table between calls; the plain one re-initialises it per call.
    private static LZ4Compressor lz4Compressor() {
        LZ4Factory factory = LZ4Factory.fastestInstance(); // the pure-Java one where the native library cannot load
        try {
            return factory.fastResetCompressor();
        } catch (UnsupportedOperationException notNative) {
            return factory.fastCompressor();
        }
    }

    Compression compression() {
        return compression;
    }

    /** The codec that {@link #packed()} holds after a successful {@link #compress}. */
    byte codec() {
        return codec;
    }

    byte[] packed() {
        return packed;
    }

    /** Compresses {@code raw[0, length)} into {@link #packed()}; -1 when that would not be smaller, so send it raw. */
    synchronized int compress(byte[] raw, int length) throws IOException {
        if (closed) {
            throw new IOException("the data channel was closed");
        }
        if (codec == Frames.CODEC_RAW || length == 0) {
            return -1;
        }
        int size;
        try {
            size = lz4 != null
                    ? lz4.compress(raw, 0, length, packed, 0, packed.length)
                    : zstd.compressByteArray(packed, 0, packed.length, raw, 0, length);
        } catch (RuntimeException e) {
            throw new IOException("compressing a page batch with " + compression + " failed: " + e.getMessage(), e);
        }
        return size < length ? size : -1;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (lz4 instanceof AutoCloseable nativeState) {
            try {
                nativeState.close();
            } catch (Exception ignored) {
                // freeing native state of a closed channel: nothing left to do
            }
        }
        if (zstd != null) {
            zstd.close();
        }
    }
}
