// The extension a reporter's file is kept under: the platform's type first, then the
// extension of the name they gave it (never the name), then the kind of message.
import { describe, expect, it } from 'vitest';
import { extensionOf, maskFilter } from '../../src/evidence/index.js';

describe('extensionOf', () => {
  it('prefers the type the platform gave, with its parameters ignored', () => {
    expect(extensionOf({ media: 'voice', mime: 'audio/ogg; codecs=opus', name: 'x.mp3' })).toBe('ogg');
    expect(extensionOf({ media: 'document', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' })).toBe('docx');
  });

  it('falls back to the extension of the name, and only that, lower case', () => {
    expect(extensionOf({ media: 'document', mime: 'application/x-unknown', name: 'Aigerim Nurlanovna complaint.PDF' })).toBe('pdf');
    expect(extensionOf({ media: 'document', name: 'notes.tar.gz' })).toBe('gz');
    // Not an extension a file system would take for one.
    expect(extensionOf({ media: 'document', name: 'no extension here' })).toBe('bin');
    expect(extensionOf({ media: 'document', name: 'weird.$$$' })).toBe('bin');
  });

  it('falls back to what the kind of message usually is', () => {
    expect(extensionOf({ media: 'photo' })).toBe('jpg');
    expect(extensionOf({ media: 'video' })).toBe('mp4');
    expect(extensionOf({ media: 'audio' })).toBe('mp3');
  });
});

describe('maskFilter', () => {
  it('plays the sound at a lower rate and stretches it back to its length', () => {
    expect(maskFilter(0.8)).toBe('aresample=48000,asetrate=38400,aresample=48000,atempo=1.2500');
  });
});

describe('hasVoice', () => {
  it('masks voice notes and videos, not audio files (recordings of what happened: their voices are the evidence)', async () => {
    const { hasVoice } = await import('../../src/evidence/index.js');
    expect(['voice', 'video', 'audio', 'photo', 'document'].filter((m) => hasVoice(m as 'voice'))).toEqual(['voice', 'video']);
  });
});
