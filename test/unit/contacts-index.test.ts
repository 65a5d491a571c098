import { expect } from '@open-wc/testing';
import { buildIndex, filterIndex, fold, hanInitial, initialOf, pinyinInitials } from '../../src/ui/contact-picker/contact-index.js';

const people = [
  { id: 'zhangwei', name: '张伟' },
  { id: 'zack', name: 'Zack' },
  { id: 'lina', name: '李娜' },
  { id: 'anna2', name: 'Ａnna' },
  { id: 'anna1', name: 'anna' },
  { id: 'emile', name: 'Émile' },
  { id: 'bob', name: 'Bob' },
  { id: 'zhaolei', name: '赵磊' },
  { id: 'wangfang', name: '王芳' },
  { id: 'first', name: '1st Guy' },
  { id: 'under', name: '_x' },
  { id: 'olga', name: 'Ольга' },
  { id: 'smile', name: '😀 smile' },
  { id: 'nameless', name: undefined },
  { id: 'anyang', name: '安阳' },
];

describe('contact index: grouping and order', () => {
  it('files Chinese names under their pinyin initial, Latin under its base letter, the rest under #', () => {
    const got = Object.fromEntries(people.map((p) => [p.name ?? p.id, initialOf(p.name ?? p.id)]));
    expect(got).to.deep.equal({
      张伟: 'Z',
      Zack: 'Z',
      李娜: 'L',
      Ａnna: 'A',
      anna: 'A',
      Émile: 'E',
      Bob: 'B',
      赵磊: 'Z',
      王芳: 'W',
      '1st Guy': '#',
      _x: '#',
      Ольга: '#',
      '😀 smile': '#',
      nameless: 'N',
      安阳: 'A',
    });
  });

  it('knows the initials of common surnames (letters without syllables never appear)', () => {
    const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭潘袁蔡蒋余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤欧牛安恩';
    const expected = 'WLZLCYHZWZXSMZHGHGLLZLXSTXHFDCPPYCJYDYCWSLDRSYLJCZTLWFJSLJXWFFBZMXQQJYXYDLHLSTLHGMHGSWQYWDMKXTONAE';
    expect([...surnames].map(hanInitial).join('')).to.equal(expected);
    expect(pinyinInitials('张伟')).to.equal('zw');
  });

  it('sorts by letter (A–Z then #), Chinese names in pinyin order before Latin ones in a group', () => {
    const order = buildIndex(people, 'en').map((e) => `${e.letter}:${e.item.name ?? e.item.id}`);
    expect(order).to.deep.equal([
      'A:安阳',
      'A:anna',
      'A:Ａnna',
      'B:Bob',
      'E:Émile',
      'L:李娜',
      'N:nameless',
      'W:王芳',
      'Z:张伟',
      'Z:赵磊',
      'Z:Zack',
      '#:_x',
      '#:😀 smile',
      '#:1st Guy',
      '#:Ольга',
    ]);
  });

  it('gives the same groups in a Chinese locale', () => {
    const letters = (locale: string) => buildIndex(people, locale).map((e) => `${e.letter}:${e.item.id}`).filter((s) => !s.startsWith('#'));
    expect(letters('zh-CN')).to.deep.equal(letters('en'));
  });
});

describe('contact index: search', () => {
  const index = buildIndex(people, 'en');
  const find = (q: string) => filterIndex(index, q).map((e) => e.item.id);

  it('matches names and ids, ignoring case, accents and full-width forms', () => {
    expect(find('ANNA')).to.deep.equal(['anna1', 'anna2']);
    expect(find('ａｎｎａ')).to.deep.equal(['anna1', 'anna2']);
    expect(find('emile')).to.deep.equal(['emile']);
    expect(find('zhao')).to.deep.equal(['zhaolei']);
    expect(find('李')).to.deep.equal(['lina']);
    expect(find('  ')).to.have.length(people.length);
  });

  it('matches Chinese names by pinyin initials', () => {
    expect(find('zw')).to.deep.equal(['zhangwei']);
    expect(find('wf')).to.deep.equal(['wangfang']);
  });

  it('keeps the sorted order and can skip entries', () => {
    expect(filterIndex(index, 'a', (p) => p.id === 'anna1').map((e) => e.item.id)).to.deep.equal(
      index.map((e) => e.item.id).filter((id) => id !== 'anna1' && fold(index.find((e) => e.item.id === id)!.key).includes('a')),
    );
  });
});
