import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

/** A secret sealed with AES-256-GCM: the key it was sealed under, the nonce, the ciphertext and tag. */
export interface Sealed {
  keyId: string;
  nonce: Buffer;
  sealed: Buffer;
}

const TAG_BYTES = 16;

/**
 * Keys that seal secrets kept in the database, so that a backup or a read of the table does not
 * give them away. The first key is the newest: it seals; every key opens what it sealed, so a
 * key is rotated by putting a new one first and dropping the old one once everything sealed
 * under it has been sealed again.
 */
export class KeyRing {
  private readonly byId: Map<string, KeyObject>;
  /** The id of the key that seals. */
  readonly newest: string;

  constructor(keys: readonly { id: string; key: Buffer }[]) {
    if (!keys.length) throw new Error('A key ring needs a key');
    for (const { id, key } of keys) {
      if (key.length !== 32) throw new Error(`Key ${id} is not 32 bytes (AES-256)`);
    }
    this.byId = new Map(keys.map(({ id, key }) => [id, createSecretKey(key)]));
    if (this.byId.size !== keys.length) throw new Error('Key ids must be distinct');
    this.newest = keys[0].id;
  }

  /** Seals `plaintext` under the newest key, bound to `context` (what the secret belongs to). */
  seal(plaintext: string, context: string): Sealed {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.byId.get(this.newest)!, nonce);
    cipher.setAAD(Buffer.from(context));
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return { keyId: this.newest, nonce, sealed };
  }

  /** Opens a sealed secret; throws when its key is not in the ring or it was altered or moved. */
  open({ keyId, nonce, sealed }: Sealed, context: string): string {
    const key = this.byId.get(keyId);
    if (!key) throw new Error(`Sealed under key "${keyId}", which the key ring does not hold`);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  }
}
