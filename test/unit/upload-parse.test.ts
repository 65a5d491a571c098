import { expect } from '@open-wc/testing';
import { xml } from '@xmpp/client';
import { parseDiscoItems, parseSlot, parseUploadInfo, slotError, UploadError } from '../../src/protocol/upload.js';
import { cleanFileName, cleanMime, formatBytes, tooLargeError, Uploads } from '../../src/kit/uploads.js';
import { ChatKitError } from '../../src/kit/errors.js';
import { openDatabase } from '../../src/store/open.js';
import { setMeta } from '../../src/store/queries.js';
import { addOutgoingFile, completeUpload, failUpload, pendingUploads, removeUpload, setUploadProgress } from '../../src/store/files.js';
import { stanza } from '../support/stanza.js';

const INFO = 'http://jabber.org/protocol/disco#info';
const UP = 'urn:xmpp:http:upload:0';

function info(body: string) {
  return stanza(`<iq type="result" from="upload.example.com" id="i1"><query xmlns="${INFO}">${body}</query></iq>`);
}

function form(type: string, size: string) {
  return `<x xmlns="jabber:x:data" type="result">
    <field var="FORM_TYPE" type="hidden"><value>${type}</value></field>
    <field var="max-file-size"><value>${size}</value></field></x>`;
}

function slot(put: string, get: string, headers = '') {
  return stanza(`<iq type="result" id="s1"><slot xmlns="${UP}"><put url="${put}">${headers}</put><get url="${get}"/></slot></iq>`);
}

describe('upload service discovery', () => {
  it('finds the service and its max-file-size from the upload form', () => {
    const found = parseUploadInfo('upload.example.com', info(`<identity category="store" type="file"/><feature var="${UP}"/>${form(UP, '10485760')}`));
    expect(found).to.deep.equal({ jid: 'upload.example.com', maxSize: 10485760 });
  });

  it('is not a service without the feature, even with the form', () => {
    expect(parseUploadInfo('conference.example.com', info(`<feature var="http://jabber.org/protocol/muc"/>${form(UP, '100')}`))).to.equal(null);
  });

  it("ignores another form's max-file-size and garbled limits", () => {
    expect(parseUploadInfo('u', info(`<feature var="${UP}"/>${form('urn:other', '5')}`))).to.deep.equal({ jid: 'u' });
    for (const bad of ['-5', '0', '1e9', 'ten', '99999999999999999999', '']) {
      expect(parseUploadInfo('u', info(`<feature var="${UP}"/>${form(UP, bad)}`)), bad).to.deep.equal({ jid: 'u' });
    }
  });

  it('lists disco items, dropping junk', () => {
    const items = stanza(`<iq type="result" id="d"><query xmlns="http://jabber.org/protocol/disco#items">
      <item jid="upload.example.com"/><item jid="conference.example.com"/><item/><item jid="a b"/><item jid="upload.example.com"/>
    </query></iq>`);
    expect(parseDiscoItems(items)).to.deep.equal(['upload.example.com', 'conference.example.com']);
  });
});

describe('upload slots', () => {
  it('takes the put and get URLs and the allowed headers', () => {
    const s = parseSlot(
      slot(
        'https://up.example.com/put/abc/photo.jpg?x=1&amp;y=2',
        'https://up.example.com/get/abc/photo.jpg',
        '<header name="Authorization">Bearer t0k</header><header name="Cookie">c=1</header><header name="Expires">Wed, 21 Oct 2026 07:28:00 GMT</header>',
      ),
    );
    expect(s).to.deep.equal({
      put: 'https://up.example.com/put/abc/photo.jpg?x=1&y=2',
      get: 'https://up.example.com/get/abc/photo.jpg',
      headers: { Authorization: 'Bearer t0k', Cookie: 'c=1', Expires: 'Wed, 21 Oct 2026 07:28:00 GMT' },
    });
  });

  it('drops headers the XEP does not allow, and values that would split a header', () => {
    const iq = xml(
      'iq',
      { type: 'result' },
      xml(
        'slot',
        { xmlns: UP },
        xml(
          'put',
          { url: 'http://h/put' },
          xml('header', { name: 'Host' }, 'evil.example'),
          xml('header', { name: 'X-Extra' }, '1'),
          xml('header', { name: 'Authorization' }, 'Bearer a\r\nX-Injected: 1'),
          xml('header', { name: 'Cookie' }, 'ok=1'),
        ),
        xml('get', { url: 'http://h/get' }),
      ),
    );
    expect(parseSlot(iq).headers).to.deep.equal({ Cookie: 'ok=1' });
  });

  it('refuses slots whose URLs are not http(s)', () => {
    for (const [put, get] of [
      ['javascript:alert(1)', 'https://h/get'],
      ['https://h/put', 'data:text/html,hi'],
      ['file:///etc/passwd', 'https://h/get'],
      ['not a url', 'https://h/get'],
      ['https://h/put', ''],
    ]) {
      expect(() => parseSlot(slot(put!, get!)), `${put} ${get}`).to.throw(UploadError).with.property('code', 'refused');
    }
    expect(() => parseSlot(stanza('<iq type="result" id="x"/>'))).to.throw(UploadError);
  });

  it('reads a size refusal with the server limit; other refusals are refused', () => {
    const errorEl = stanza(`<error type="modify"><not-acceptable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/>
      <text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas">File too large</text>
      <file-too-large xmlns="${UP}"><max-file-size>1000</max-file-size></file-too-large></error>`);
    const big = slotError({ condition: 'not-acceptable', text: 'File too large', element: errorEl });
    expect(big.code).to.equal('too-large');
    expect(big.maxSize).to.equal(1000);
    const quota = slotError({ condition: 'resource-constraint', text: 'Daily quota reached' });
    expect(quota.code).to.equal('refused');
    expect(quota.message).to.contain('Daily quota reached');
    expect(slotError(new Error('timeout')).code).to.equal('refused');
  });
});

describe('file descriptions', () => {
  it('formats sizes in human units and names both sizes when refusing', () => {
    expect(formatBytes(980)).to.equal('980 bytes');
    expect(formatBytes(2 * 1024 * 1024)).to.equal('2.0 MB');
    const err = tooLargeError(10 * 1024 * 1024 + 1, 10 * 1024 * 1024);
    expect(err.code).to.equal('too-large');
    expect(err.message).to.contain('10.0 MB').and.contain('10,485,761').and.contain('10,485,760');
    expect(tooLargeError(30 * 1024 * 1024, 10 * 1024 * 1024).message).to.contain('30.0 MB').and.contain('10.0 MB');
  });

  it('cleans file names and MIME types', () => {
    expect(cleanFileName('../../etc/passwd')).to.equal('passwd');
    expect(cleanFileName('C:\\Users\\me\\photo.jpg')).to.equal('photo.jpg');
    expect(cleanFileName('a\u0000b\nc.txt')).to.equal('abc.txt');
    expect(cleanFileName('   ')).to.equal('file');
    expect(cleanFileName(undefined)).to.equal('file');
    expect([...cleanFileName('😀'.repeat(400))].length).to.equal(255);
    expect(cleanMime('image/PNG')).to.equal('image/png');
    expect(cleanMime('')).to.equal('application/octet-stream');
    expect(cleanMime('text/html\r\nX: 1')).to.equal('application/octet-stream');
    expect(cleanMime('image/svg+xml')).to.equal('image/svg+xml');
  });
});

describe('the upload outbox in the store', () => {
  const draft = (name: string) => ({
    conversationId: 'bob@example.com',
    conversationType: 'chat' as const,
    from: 'alice',
    body: '',
    attachment: { url: '', name, size: 3, mime: 'text/plain' },
  });

  it('stores a file message and its bytes together, and finishes it with its URL', async () => {
    const db = await openDatabase(`unit-${crypto.randomUUID()}@example.com`, 'memory');
    const m = await addOutgoingFile(db, draft('a.txt'), new Blob(['abc']));
    expect(m.state).to.equal('pending');
    expect(m.upload).to.deep.equal({ progress: 0 });
    expect(await (await db.files.get(m.id))!.blob.text()).to.equal('abc');
    expect((await db.conversations.get('bob@example.com'))!.last!.attachment).to.deep.equal({ name: 'a.txt', mime: 'text/plain' });
    expect((await pendingUploads(db)).map((r) => r.id)).to.deep.equal([m.id]);

    await setUploadProgress(db, m.id, 0.5);
    expect((await db.messages.get(m.id))!.upload).to.deep.equal({ progress: 0.5 });
    expect(await completeUpload(db, m.id, 'https://up.example.com/a.txt')).to.equal(true);
    const done = (await db.messages.get(m.id))!;
    expect(done.upload).to.equal(undefined);
    expect(done.body).to.equal('https://up.example.com/a.txt');
    expect(done.attachment!.url).to.equal('https://up.example.com/a.txt');
    expect(await db.files.count()).to.equal(0);
    // A late progress write does not make it uploading again.
    await setUploadProgress(db, m.id, 0.9);
    expect((await db.messages.get(m.id))!.upload).to.equal(undefined);
    expect(await removeUpload(db, m.id)).to.equal(false);
    expect(await db.messages.get(m.id)).to.not.equal(undefined);
    db.close();
  });

  it('a failed upload keeps its bytes for a resend; a cancelled one leaves nothing, not even the preview', async () => {
    const db = await openDatabase(`unit-${crypto.randomUUID()}@example.com`, 'memory');
    const a = await addOutgoingFile(db, draft('a.txt'), new Blob(['abc']));
    await failUpload(db, a.id, 'The upload could not reach the server.');
    const failed = (await db.messages.get(a.id))!;
    expect(failed.state).to.equal('failed');
    expect(failed.error).to.equal('The upload could not reach the server.');
    expect(failed.upload).to.deep.equal({ progress: 0 });
    expect(await db.files.get(a.id)).to.not.equal(undefined);

    const b = await addOutgoingFile(db, draft('b.txt'), new Blob(['def']));
    expect(await removeUpload(db, b.id)).to.equal(true);
    expect(await db.messages.get(b.id)).to.equal(undefined);
    expect(await db.files.get(b.id)).to.equal(undefined);
    expect((await db.conversations.get('bob@example.com'))!.last!.id).to.equal(a.id);
    db.close();
  });

  it('checks a file against the service last seen: unsupported, too large, or fine', async () => {
    const db = await openDatabase(`unit-${crypto.randomUUID()}@example.com`, 'memory');
    const uploads = new Uploads(db);
    await uploads.check(10 ** 9); // never seen: checked again when it uploads
    await setMeta(db, 'upload:service', { none: true });
    const none = await uploads.check(10).catch((e: unknown) => e);
    expect(none).to.be.instanceOf(ChatKitError).with.property('code', 'unsupported');
    await setMeta(db, 'upload:service', { jid: 'upload.example.com', maxSize: 100 });
    await uploads.check(100);
    const big = await uploads.check(101).catch((e: unknown) => e);
    expect(big).to.be.instanceOf(ChatKitError).with.property('code', 'too-large');
    db.close();
  });
});
