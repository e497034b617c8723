package io.ferry.hypervisor.simulated;

import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.IOException;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Destination side: restores a batch's page payload. One per connection, used by its reading thread only. Input is
 * untrusted, so only bounds-checked decoders are used and output never exceeds the batch the headers announced.
 */
final class BatchDecompressor implements AutoCloseable {
    private LZ4SafeDecompressor lz4;
    private ZstdDecompressCtx zstd;

    /** Decompresses {@code packed[0, packedLength)} into exactly {@code raw[0, rawLength)}. */
    void decompress(byte codec, byte[] packed, int packedLength, byte[] raw, int rawLength) throws IOException {
        int size;
        try {
            size = switch (codec) {
                case Frames.CODEC_LZ4 -> lz4().decompress(packed, 0, packedLength, raw, 0, rawLength);
                case Frames.CODEC_ZSTD -> zstd().decompressByteArray(raw, 0, rawLength, packed, 0, packedLength);
                default -> throw new IOException("page batch uses unknown codec " + codec
                        + "; the source runs an incompatible ferry version");
            };
        } catch (RuntimeException e) {
            throw new IOException("page batch (codec " + codec + ") did not decompress: " + e.getMessage()
                    + "; the data channel corrupted data", e);
        }
        if (size != rawLength) {
            throw new IOException("page batch decompressed to " + size + " bytes, its headers announced " + rawLength);
        }
    }

    private LZ4SafeDecompressor lz4() {
        if (lz4 == null) {
            lz4 = LZ4Factory.fastestInstance().safeDecompressor();
        }
        return lz4;
    }

    private ZstdDecompressCtx zstd() {
        if (zstd == null) {
            zstd = new ZstdDecompressCtx();
        }
        return zstd;
    }

    @Override
    public void close() {
        if (zstd != null) {
            zstd.close();
        }
    }
}
