// Vietnamese by default, English selectable; the choice and the time zone are kept in localStorage.
import { signal } from './state';

const vi = {
  'app.title': 'Trung tâm giám sát an toàn thông tin',
  'nav.incidents': 'Sự cố', 'nav.search': 'Tìm kiếm', 'nav.dashboards': 'Tổng quan', 'nav.rules': 'Quy tắc', 'nav.agencies': 'Đơn vị & nguồn',
  'nav.users': 'Người dùng', 'nav.audit': 'Nhật ký kiểm toán', 'nav.account': 'Tài khoản',
  'login.title': 'Đăng nhập', 'login.username': 'Tên đăng nhập', 'login.password': 'Mật khẩu', 'login.totp': 'Mã xác thực (TOTP)', 'login.submit': 'Đăng nhập',
  'login.failed': 'Đăng nhập thất bại', 'logout': 'Đăng xuất', 'live.on': 'trực tuyến', 'live.off': 'mất kết nối',
  'sev.critical': 'Nghiêm trọng', 'sev.high': 'Cao', 'sev.medium': 'Trung bình', 'sev.low': 'Thấp', 'sev.informational': 'Thông tin',
  'st.new': 'Mới', 'st.acknowledged': 'Đã xác nhận', 'st.in_progress': 'Đang xử lý', 'st.resolved': 'Đã xử lý', 'st.false_positive': 'Báo nhầm', 'st.duplicate': 'Trùng lặp',
  'st.open': 'Đang mở', 'st.closed': 'Đã đóng', 'all': 'Tất cả',
  'col.severity': 'Mức độ', 'col.rule': 'Quy tắc', 'col.agency': 'Đơn vị', 'col.where': 'Máy / Nguồn / Người dùng', 'col.count': 'Số lần', 'col.first': 'Lần đầu',
  'col.last': 'Lần cuối', 'col.status': 'Trạng thái', 'col.assignee': 'Người xử lý', 'col.time': 'Thời gian',
  'filter.severity': 'Mức độ', 'filter.status': 'Trạng thái', 'filter.agency': 'Đơn vị', 'filter.rule': 'Quy tắc', 'filter.assignee': 'Người xử lý',
  'inc.empty': 'Chưa có sự cố nào khớp bộ lọc. Gửi nhật ký tới cổng syslog 5514 hoặc chạy npm run demo.',
  'inc.sound': 'Âm thanh + thông báo cho mức Cao/Nghiêm trọng', 'inc.keys': 'Phím: j/k di chuyển, Enter mở, a xác nhận, / tìm kiếm',
  'inc.open_total': 'đang mở', 'inc.export': 'Xuất CSV (kèm SLA)',
  'col.sla': 'SLA', 'sla.left': 'còn', 'sla.over': 'quá hạn', 'sla.ack': 'Hạn xác nhận', 'sla.resolve': 'Hạn xử lý xong', 'sort.label': 'Sắp xếp', 'sort.last_activity': 'Hoạt động gần nhất', 'sort.severity': 'Mức độ', 'sort.sla': 'Thời hạn SLA còn lại', 'sort.count': 'Số lần',
  'bulk.selected': 'đã chọn', 'bulk.ack': 'Xác nhận', 'bulk.assign': 'Giao cho', 'bulk.close': 'Đóng (đã xử lý)', 'bulk.failed': 'không đổi được', 'inc.rules_more': 'quy tắc',
  'inc.rules': 'Các quy tắc đã kích hoạt', 'inc.entities': 'Thực thể', 'inc.tactics': 'Chiến thuật ATT&CK', 'inc.merge': 'Gộp vào sự cố', 'inc.split': 'Tách các cảnh báo đã chọn', 'inc.merged_into': 'Đã gộp vào',
  'd.back': '← Danh sách sự cố', 'd.timeline': 'Dòng thời gian', 'd.alerts': 'Cảnh báo', 'd.events': 'Sự kiện', 'd.rule': 'Quy tắc phát hiện',
  'd.author': 'Tác giả', 'd.references': 'Tham khảo', 'd.attack': 'ATT&CK', 'd.level': 'Mức', 'd.asset': 'Tài sản & đơn vị', 'd.related': 'Sự cố liên quan',
  'd.actions': 'Xử lý', 'd.ack': 'Xác nhận', 'd.assign': 'Giao cho', 'd.assign_me': 'Nhận xử lý', 'd.comment': 'Bình luận', 'd.add_comment': 'Thêm bình luận',
  'd.status': 'Đổi trạng thái', 'd.close': 'Đóng với kết luận', 'd.resolution': 'Kết luận', 'd.sla': 'SLA', 'd.tta': 'Thời gian đến khi xác nhận',
  'd.open_for': 'Thời gian mở', 'd.target': 'mục tiêu', 'd.breached': 'quá hạn', 'd.within': 'trong hạn', 'd.history': 'Lịch sử xử lý', 'd.original': 'Bản gốc (event.original)',
  'd.none': 'Không có', 'd.readonly': 'Vai trò của bạn chỉ được xem.', 'd.unassign': 'Bỏ giao',
  's.query': 'Truy vấn', 's.run': 'Tìm', 's.cancel': 'Hủy', 's.range': 'Khoảng thời gian', 's.columns': 'Cột', 's.save': 'Lưu tìm kiếm', 's.saved': 'Tìm kiếm đã lưu',
  's.export_csv': 'Xuất CSV', 's.export_json': 'Xuất JSON', 's.results': 'kết quả', 's.prev': '‹ Trước', 's.next': 'Sau ›', 's.name': 'Tên tìm kiếm', 's.cancelled': 'Đã hủy truy vấn',
  's.help': 'field:value · field:wild* · field:"cụm từ" · field:[400 TO 499] · field:>=500 · field:* · AND / OR / NOT · ( )',
  'r.15m': '15 phút', 'r.1h': '1 giờ', 'r.24h': '24 giờ', 'r.7d': '7 ngày', 'r.30d': '30 ngày', 'r.all': 'Toàn bộ', 'r.custom': 'Tùy chọn…', 's.from': 'Từ', 's.to': 'Đến', 's.zoom': 'Kéo trên biểu đồ để phóng to khoảng thời gian',
  'db.eps_agency': 'Sự kiện/giây theo đơn vị', 'db.eps_source': 'Sự kiện/giây theo nguồn dữ liệu', 'db.alerts_sev': 'Cảnh báo theo mức độ', 'db.top_rules': 'Quy tắc kích hoạt nhiều nhất',
  'db.top_sources': 'Địa chỉ nguồn nhiều nhất', 'db.listeners': 'Tình trạng cổng nhận', 'db.attack': 'Ma trận ATT&CK: quy tắc đang bật và lượt kích hoạt',
  'db.received': 'Đã nhận', 'db.parsed': 'Đã phân tích', 'db.failed': 'Lỗi phân tích', 'db.dropped': 'Bị bỏ', 'db.lag': 'Hàng đợi', 'db.rules': 'quy tắc', 'db.hits': 'lượt',
  'ru.status': 'Trạng thái', 'ru.hits': 'Lượt kích hoạt', 'ru.last': 'Lần cuối', 'ru.enabled_for': 'Bật cho đơn vị', 'ru.enabled': 'Bật', 'ru.disabled': 'Tắt',
  'ru.test': 'Thử quy tắc', 'ru.test_rule': 'Quy tắc (YAML Sigma)', 'ru.test_events': 'Sự kiện (JSON mỗi dòng hoặc mảng JSON)', 'ru.run_test': 'Chạy thử', 'ru.matches': 'khớp',
  'ru.exception': 'Ngoại lệ (truy vấn; sự kiện khớp sẽ không tạo cảnh báo)', 'ru.save': 'Lưu', 'ru.load_errors': 'Quy tắc không nạp được', 'ru.filter': 'Lọc quy tắc…',
  'ag.agencies': 'Đơn vị', 'ag.add': 'Thêm đơn vị', 'ag.id': 'Mã', 'ag.name': 'Tên', 'ag.tokens': 'Khóa gửi dữ liệu', 'ag.create_token': 'Tạo khóa', 'ag.rotate': 'Xoay vòng',
  'ag.revoke': 'Thu hồi', 'ag.revoked': 'đã thu hồi', 'ag.secret_once': 'Khóa chỉ hiện một lần — hãy sao chép ngay:', 'ag.sources': 'Nguồn gửi', 'ag.last_seen': 'Lần cuối nhận',
  'ag.rate': 'Tốc độ (sự kiện/phút, 1 giờ)', 'ag.fail_rate': 'Tỉ lệ lỗi', 'ag.silent': 'im lặng', 'ag.silent_warn': 'Nguồn không gửi dữ liệu hơn 15 phút', 'ag.dead': 'Thư chết (không đọc được)',
  'ag.reason': 'Lý do', 'ag.listener': 'Cổng nhận', 'ag.created': 'Tạo lúc', 'ag.label': 'Nhãn',
  'u.users': 'Người dùng', 'u.add': 'Thêm người dùng', 'u.role': 'Vai trò', 'u.agencies': 'Đơn vị được xem', 'u.disabled': 'Đã khóa', 'u.create': 'Tạo', 'u.disable': 'Khóa', 'u.enable': 'Mở khóa',
  'u.totp': 'TOTP', 'u.locked': 'Tạm khóa (đăng nhập sai)', 'u.totp_reset': 'Tắt TOTP', 'u.reset_password': 'Đặt lại mật khẩu', 'u.new_password': 'Mật khẩu mới (ít nhất 10 ký tự)', 'role.admin': 'Quản trị', 'role.analyst': 'Phân tích viên', 'role.responder': 'Ứng cứu', 'role.auditor': 'Kiểm toán', 'role.viewer': 'Xem theo đơn vị',
  'a.actor': 'Người thực hiện', 'a.action': 'Hành động', 'a.target': 'Đối tượng', 'a.ip': 'Từ địa chỉ', 'a.details': 'Chi tiết', 'a.export': 'Xuất nhật ký', 'a.chain': 'Chuỗi băm', 'a.verify': 'Kiểm tra chuỗi băm', 'a.intact': 'Nhật ký nguyên vẹn', 'a.altered': 'Nhật ký BỊ SỬA tại mục',
  'acc.tokens': 'Khóa API cho script', 'acc.create': 'Tạo khóa API', 'acc.totp': 'Xác thực hai lớp (TOTP)', 'acc.totp_on': 'Đang bật', 'acc.totp_off': 'Chưa bật', 'acc.totp_setup': 'Thiết lập',
  'acc.totp_scan': 'Nhập khóa bí mật này vào ứng dụng xác thực, rồi nhập mã 6 số:', 'acc.totp_enable': 'Bật', 'acc.totp_disable': 'Tắt', 'acc.lang': 'Ngôn ngữ', 'acc.tz': 'Múi giờ',
  'x.bytes': 'Byte', 'x.tags': 'Nhãn', 'x.group': 'Khóa gom nhóm', 'x.file': 'Tệp',
  'nav.infected': 'Máy bị nhiễm', 'ti.hosts': 'Máy có dấu hiệu nhiễm mã độc', 'ti.none': 'Chưa có máy nào khớp chỉ dấu hoặc bị phát hiện mã độc', 'ti.agency': 'Đơn vị', 'ti.host': 'Máy',
  'ti.last': 'Thấy lần cuối', 'ti.matches': 'Lần khớp chỉ dấu', 'ti.malware': 'Mã độc', 'ti.incidents': 'Sự cố liên quan', 'ti.blocklist': 'Chặn địa chỉ hoặc tên miền', 'ti.value': 'Giá trị',
  'ti.reason': 'Lý do', 'ti.block': 'Chặn', 'ti.blocked': 'Đã đưa vào danh sách chặn', 'ti.iocs': 'Chỉ dấu tấn công (IoC)', 'ti.search': 'Tìm giá trị', 'ti.type': 'Loại', 'ti.source': 'Nguồn',
  'ti.confidence': 'Độ tin cậy', 'ti.expires': 'Hết hạn', 'ti.all': 'Mọi đơn vị',
  'ti.feeds': 'Thư mục nguồn chỉ dấu', 'ti.no_feeds': 'Chưa có tệp nào trong thư mục nguồn', 'ti.scanned': 'Quét lúc', 'ti.feed': 'Tệp', 'ti.status': 'Trạng thái', 'ti.count': 'Số chỉ dấu',
  'ti.f.imported': 'Đã nhập', 'ti.f.failed': 'Lỗi', 'ti.f.removed': 'Đã gỡ (chỉ dấu hết hạn)', 'ti.import': 'Nhập chỉ dấu', 'ti.format': 'Định dạng', 'ti.imported': 'Đã nhập',
  'nav.websites': 'Giám sát website', 'w.sites': 'Website được giám sát', 'w.add': 'Thêm website', 'w.url': 'Địa chỉ', 'w.interval': 'Chu kỳ (giây)', 'w.keywords': 'Cụm từ bắt buộc (cách nhau bằng dấu phẩy)',
  'w.state': 'Trạng thái', 'w.uptime24': 'Hoạt động 24 giờ', 'w.uptime30': 'Hoạt động 30 ngày', 'w.latency': 'Độ trễ', 'w.cert': 'Chứng thư hết hạn', 'w.days': 'ngày', 'w.last_check': 'Kiểm tra lần cuối',
  'w.last_change': 'Thay đổi gần nhất', 'w.pause': 'Tạm dừng', 'w.resume': 'Tiếp tục', 'w.remove': 'Xóa', 'w.rebaseline': 'Học lại nội dung chuẩn', 'w.snapshots': 'Bản chụp nội dung',
  'w.baseline': 'Nội dung chuẩn (đã học)', 'w.changed': 'Khi thay đổi', 'w.none': 'Chưa có website nào. Quản trị viên thêm bằng biểu mẫu trên hoặc lệnh canhgac website add <url> --tenant <đơn vị>.',
  'w.st.up': 'Hoạt động', 'w.st.down': 'Không truy cập được', 'w.st.learning': 'Đang học nội dung', 'w.st.unchecked': 'Chưa kiểm tra', 'w.st.paused': 'Tạm dừng',
  'nav.cases': 'Hồ sơ điều tra', 'c.cases': 'Hồ sơ điều tra', 'c.new': 'Mở hồ sơ mới', 'c.title': 'Tiêu đề', 'c.description': 'Mô tả', 'c.tlp': 'TLP', 'c.status': 'Trạng thái',
  'c.st.new': 'Mới', 'c.st.in_progress': 'Đang điều tra', 'c.st.closed': 'Đã đóng', 'c.resolution': 'Kết luận', 'c.close': 'Đóng hồ sơ', 'c.reopen': 'Mở lại', 'c.incidents': 'Sự cố liên kết',
  'c.observables': 'Dấu vết (observable)', 'c.comments': 'Bình luận', 'c.history': 'Lịch sử thay đổi', 'c.add_observable': 'Thêm dấu vết', 'c.value': 'Giá trị', 'c.note': 'Ghi chú', 'c.tags': 'Nhãn (cách nhau bằng dấu phẩy)',
  'c.from_incident': 'Lấy dấu vết từ sự cố', 'c.unlink': 'Gỡ liên kết', 'c.remove': 'Xóa', 'c.comment': 'Gửi bình luận', 'c.none': 'Chưa có hồ sơ nào. Mở hồ sơ từ một sự cố (nút "Thêm vào hồ sơ") hoặc bằng biểu mẫu trên.',
  'c.back': '← Danh sách hồ sơ', 'c.save': 'Lưu', 'c.edit': 'Thông tin hồ sơ', 'c.counts': 'Sự cố / dấu vết / bình luận', 'c.updated': 'Cập nhật', 'c.created_by': 'Người mở',
  'c.add_to_case': 'Thêm vào hồ sơ điều tra', 'c.in_cases': 'Thuộc hồ sơ', 'c.pick': 'Chọn hồ sơ đang mở…', 'c.add': 'Thêm', 'c.create_from': 'Mở hồ sơ mới từ sự cố này', 'c.added': 'Đã thêm vào hồ sơ', 'c.skipped': 'đã có sẵn, bỏ qua',
  'c.h.created': 'mở hồ sơ', 'c.h.title': 'đổi tiêu đề', 'c.h.description': 'sửa mô tả', 'c.h.assignee': 'giao cho', 'c.h.status': 'đổi trạng thái', 'c.h.resolution': 'kết luận', 'c.h.severity': 'đổi mức độ',
  'c.h.tlp': 'đổi TLP', 'c.h.incident_linked': 'liên kết sự cố', 'c.h.incident_unlinked': 'gỡ sự cố', 'c.h.observable_added': 'thêm dấu vết', 'c.h.observable_removed': 'xóa dấu vết', 'c.h.comment': 'bình luận',
  'c.o.ip': 'Địa chỉ IP', 'c.o.domain': 'Tên miền', 'c.o.url': 'URL', 'c.o.hash': 'Mã băm', 'c.o.user': 'Người dùng', 'c.o.host': 'Máy', 'c.o.other': 'Khác',
  'err.forbidden': 'Vai trò của bạn không được phép', 'loading': 'Đang tải…', 'save': 'Lưu', 'delete': 'Xóa', 'cancel': 'Hủy', 'close': 'Đóng', 'yes': 'Có', 'no': 'Không',
} as const;

type Key = keyof typeof vi;

const en: Record<Key, string> = {
  'app.title': 'Security monitoring center',
  'nav.incidents': 'Incidents', 'nav.search': 'Search', 'nav.dashboards': 'Dashboards', 'nav.rules': 'Rules', 'nav.agencies': 'Agencies & sources',
  'nav.users': 'Users', 'nav.audit': 'Audit log', 'nav.account': 'Account',
  'login.title': 'Sign in', 'login.username': 'Username', 'login.password': 'Password', 'login.totp': 'Authenticator code (TOTP)', 'login.submit': 'Sign in',
  'login.failed': 'Sign-in failed', 'logout': 'Sign out', 'live.on': 'live', 'live.off': 'offline',
  'sev.critical': 'Critical', 'sev.high': 'High', 'sev.medium': 'Medium', 'sev.low': 'Low', 'sev.informational': 'Info',
  'st.new': 'New', 'st.acknowledged': 'Acknowledged', 'st.in_progress': 'In progress', 'st.resolved': 'Resolved', 'st.false_positive': 'False positive', 'st.duplicate': 'Duplicate',
  'st.open': 'Open', 'st.closed': 'Closed', 'all': 'All',
  'col.severity': 'Severity', 'col.rule': 'Rule', 'col.agency': 'Agency', 'col.where': 'Host / Source / User', 'col.count': 'Count', 'col.first': 'First seen',
  'col.last': 'Last seen', 'col.status': 'Status', 'col.assignee': 'Assignee', 'col.time': 'Time',
  'filter.severity': 'Severity', 'filter.status': 'Status', 'filter.agency': 'Agency', 'filter.rule': 'Rule', 'filter.assignee': 'Assignee',
  'inc.empty': 'No incident matches the filters. Send logs to syslog port 5514 or run npm run demo.',
  'inc.sound': 'Sound + notification for High/Critical', 'inc.keys': 'Keys: j/k move, Enter open, a acknowledge, / search',
  'inc.open_total': 'open', 'inc.export': 'Export CSV (with SLA)',
  'col.sla': 'SLA', 'sla.left': 'left', 'sla.over': 'overdue', 'sla.ack': 'Acknowledge by', 'sla.resolve': 'Resolve by', 'sort.label': 'Sort', 'sort.last_activity': 'Last activity', 'sort.severity': 'Severity', 'sort.sla': 'SLA time left', 'sort.count': 'Count',
  'bulk.selected': 'selected', 'bulk.ack': 'Acknowledge', 'bulk.assign': 'Assign to', 'bulk.close': 'Close (resolved)', 'bulk.failed': 'could not be changed', 'inc.rules_more': 'rules',
  'inc.rules': 'Rules that fired', 'inc.entities': 'Entities', 'inc.tactics': 'ATT&CK tactics', 'inc.merge': 'Merge into incident', 'inc.split': 'Split the selected alerts off', 'inc.merged_into': 'Merged into',
  'd.back': '← Incidents', 'd.timeline': 'Timeline', 'd.alerts': 'Alerts', 'd.events': 'Events', 'd.rule': 'Detection rule',
  'd.author': 'Author', 'd.references': 'References', 'd.attack': 'ATT&CK', 'd.level': 'Level', 'd.asset': 'Asset & agency', 'd.related': 'Related incidents',
  'd.actions': 'Response', 'd.ack': 'Acknowledge', 'd.assign': 'Assign to', 'd.assign_me': 'Take it', 'd.comment': 'Comment', 'd.add_comment': 'Add comment',
  'd.status': 'Change status', 'd.close': 'Close with resolution', 'd.resolution': 'Resolution', 'd.sla': 'SLA', 'd.tta': 'Time to acknowledge',
  'd.open_for': 'Time open', 'd.target': 'target', 'd.breached': 'breached', 'd.within': 'within target', 'd.history': 'History', 'd.original': 'Original (event.original)',
  'd.none': 'None', 'd.readonly': 'Your role may only view.', 'd.unassign': 'Unassign',
  's.query': 'Query', 's.run': 'Search', 's.cancel': 'Cancel', 's.range': 'Time range', 's.columns': 'Columns', 's.save': 'Save search', 's.saved': 'Saved searches',
  's.export_csv': 'Export CSV', 's.export_json': 'Export JSON', 's.results': 'results', 's.prev': '‹ Prev', 's.next': 'Next ›', 's.name': 'Search name', 's.cancelled': 'Query cancelled',
  's.help': 'field:value · field:wild* · field:"a phrase" · field:[400 TO 499] · field:>=500 · field:* · AND / OR / NOT · ( )',
  'r.15m': '15 min', 'r.1h': '1 hour', 'r.24h': '24 hours', 'r.7d': '7 days', 'r.30d': '30 days', 'r.all': 'All time', 'r.custom': 'Custom…', 's.from': 'From', 's.to': 'To', 's.zoom': 'Drag across the chart to zoom into a time span',
  'db.eps_agency': 'Events/s by agency', 'db.eps_source': 'Events/s by data source', 'db.alerts_sev': 'Alerts by severity', 'db.top_rules': 'Top rules',
  'db.top_sources': 'Top source addresses', 'db.listeners': 'Listener health', 'db.attack': 'ATT&CK matrix: enabled rules and hits',
  'db.received': 'Received', 'db.parsed': 'Parsed', 'db.failed': 'Parse failures', 'db.dropped': 'Dropped', 'db.lag': 'Queue', 'db.rules': 'rules', 'db.hits': 'hits',
  'ru.status': 'Status', 'ru.hits': 'Hits', 'ru.last': 'Last hit', 'ru.enabled_for': 'Enabled for agency', 'ru.enabled': 'On', 'ru.disabled': 'Off',
  'ru.test': 'Test a rule', 'ru.test_rule': 'Rule (Sigma YAML)', 'ru.test_events': 'Events (JSON lines or a JSON array)', 'ru.run_test': 'Run test', 'ru.matches': 'matches',
  'ru.exception': 'Exception (query; matching events raise no alert)', 'ru.save': 'Save', 'ru.load_errors': 'Rules that did not load', 'ru.filter': 'Filter rules…',
  'ag.agencies': 'Agencies', 'ag.add': 'Add agency', 'ag.id': 'ID', 'ag.name': 'Name', 'ag.tokens': 'Ingest tokens', 'ag.create_token': 'Create token', 'ag.rotate': 'Rotate',
  'ag.revoke': 'Revoke', 'ag.revoked': 'revoked', 'ag.secret_once': 'The token is shown only once — copy it now:', 'ag.sources': 'Sources', 'ag.last_seen': 'Last seen',
  'ag.rate': 'Rate (events/min, 1 h)', 'ag.fail_rate': 'Failure rate', 'ag.silent': 'silent', 'ag.silent_warn': 'Source silent for more than 15 minutes', 'ag.dead': 'Dead letters (unreadable)',
  'ag.reason': 'Reason', 'ag.listener': 'Listener', 'ag.created': 'Created', 'ag.label': 'Label',
  'u.users': 'Users', 'u.add': 'Add user', 'u.role': 'Role', 'u.agencies': 'Agencies visible', 'u.disabled': 'Disabled', 'u.create': 'Create', 'u.disable': 'Disable', 'u.enable': 'Enable',
  'u.totp': 'TOTP', 'u.locked': 'Locked out (failed logins)', 'u.totp_reset': 'Turn off TOTP', 'u.reset_password': 'Reset password', 'u.new_password': 'New password (at least 10 characters)', 'role.admin': 'Admin', 'role.analyst': 'Analyst', 'role.responder': 'Responder', 'role.auditor': 'Auditor', 'role.viewer': 'Agency viewer',
  'a.actor': 'Who', 'a.action': 'Action', 'a.target': 'Target', 'a.ip': 'From', 'a.details': 'Details', 'a.export': 'Export log', 'a.chain': 'Hash chain', 'a.verify': 'Verify hash chain', 'a.intact': 'Log intact', 'a.altered': 'Log ALTERED at entry',
  'acc.tokens': 'API tokens for scripts', 'acc.create': 'Create API token', 'acc.totp': 'Two-factor authentication (TOTP)', 'acc.totp_on': 'On', 'acc.totp_off': 'Off', 'acc.totp_setup': 'Set up',
  'acc.totp_scan': 'Enter this secret in your authenticator app, then type the 6-digit code:', 'acc.totp_enable': 'Enable', 'acc.totp_disable': 'Disable', 'acc.lang': 'Language', 'acc.tz': 'Time zone',
  'x.bytes': 'Bytes', 'x.tags': 'Tags', 'x.group': 'Group key', 'x.file': 'File',
  'nav.infected': 'Infected machines', 'ti.hosts': 'Machines with signs of infection', 'ti.none': 'No machine has matched an indicator or had malware detected', 'ti.agency': 'Agency', 'ti.host': 'Machine',
  'ti.last': 'Last seen', 'ti.matches': 'Indicator matches', 'ti.malware': 'Malware', 'ti.incidents': 'Related incidents', 'ti.blocklist': 'Block an address or domain', 'ti.value': 'Value',
  'ti.reason': 'Reason', 'ti.block': 'Block', 'ti.blocked': 'Added to the blocklist', 'ti.iocs': 'Indicators of compromise', 'ti.search': 'Search values', 'ti.type': 'Type', 'ti.source': 'Source',
  'ti.confidence': 'Confidence', 'ti.expires': 'Expires', 'ti.all': 'Every agency',
  'ti.feeds': 'Feed folder', 'ti.no_feeds': 'No file in the feed folder yet', 'ti.scanned': 'Scanned', 'ti.feed': 'File', 'ti.status': 'Status', 'ti.count': 'Indicators',
  'ti.f.imported': 'Imported', 'ti.f.failed': 'Refused', 'ti.f.removed': 'Removed (indicators expired)', 'ti.import': 'Import indicators', 'ti.format': 'Format', 'ti.imported': 'Imported',
  'nav.websites': 'Website watch', 'w.sites': 'Watched websites', 'w.add': 'Add website', 'w.url': 'URL', 'w.interval': 'Interval (seconds)', 'w.keywords': 'Required phrases (comma-separated)',
  'w.state': 'State', 'w.uptime24': 'Uptime 24 h', 'w.uptime30': 'Uptime 30 d', 'w.latency': 'Latency', 'w.cert': 'Certificate expires', 'w.days': 'days', 'w.last_check': 'Last check',
  'w.last_change': 'Last change', 'w.pause': 'Pause', 'w.resume': 'Resume', 'w.remove': 'Remove', 'w.rebaseline': 'Learn the baseline again', 'w.snapshots': 'Content snapshots',
  'w.baseline': 'Baseline (learned)', 'w.changed': 'When it changed', 'w.none': 'No website is watched yet. An admin adds one with the form above or canhgac website add <url> --tenant <agency>.',
  'w.st.up': 'Up', 'w.st.down': 'Down', 'w.st.learning': 'Learning the content', 'w.st.unchecked': 'Not checked yet', 'w.st.paused': 'Paused',
  'nav.cases': 'Cases', 'c.cases': 'Cases', 'c.new': 'Open a new case', 'c.title': 'Title', 'c.description': 'Description', 'c.tlp': 'TLP', 'c.status': 'Status',
  'c.st.new': 'New', 'c.st.in_progress': 'In progress', 'c.st.closed': 'Closed', 'c.resolution': 'Resolution', 'c.close': 'Close case', 'c.reopen': 'Reopen', 'c.incidents': 'Linked incidents',
  'c.observables': 'Observables', 'c.comments': 'Comments', 'c.history': 'History', 'c.add_observable': 'Add observable', 'c.value': 'Value', 'c.note': 'Note', 'c.tags': 'Tags (comma-separated)',
  'c.from_incident': 'Take observables from incident', 'c.unlink': 'Unlink', 'c.remove': 'Remove', 'c.comment': 'Post comment', 'c.none': 'No case yet. Open one from an incident ("Add to case") or with the form above.',
  'c.back': '← Cases', 'c.save': 'Save', 'c.edit': 'Case details', 'c.counts': 'Incidents / observables / comments', 'c.updated': 'Updated', 'c.created_by': 'Opened by',
  'c.add_to_case': 'Add to case', 'c.in_cases': 'In cases', 'c.pick': 'Pick an open case…', 'c.add': 'Add', 'c.create_from': 'Open a new case from this incident', 'c.added': 'Added to the case', 'c.skipped': 'already there, skipped',
  'c.h.created': 'opened the case', 'c.h.title': 'changed the title', 'c.h.description': 'edited the description', 'c.h.assignee': 'assigned', 'c.h.status': 'changed the status', 'c.h.resolution': 'resolution', 'c.h.severity': 'changed the severity',
  'c.h.tlp': 'changed the TLP', 'c.h.incident_linked': 'linked incident', 'c.h.incident_unlinked': 'unlinked incident', 'c.h.observable_added': 'added observable', 'c.h.observable_removed': 'removed observable', 'c.h.comment': 'commented',
  'c.o.ip': 'IP address', 'c.o.domain': 'Domain', 'c.o.url': 'URL', 'c.o.hash': 'Hash', 'c.o.user': 'User', 'c.o.host': 'Host', 'c.o.other': 'Other',
  'err.forbidden': 'Your role may not do this', 'loading': 'Loading…', 'save': 'Save', 'delete': 'Delete', 'cancel': 'Cancel', 'close': 'Close', 'yes': 'Yes', 'no': 'No',
};

export type Lang = 'vi' | 'en';
const stored = (k: string) => { try { return localStorage.getItem(k); } catch { return null; } };
export const lang = signal<Lang>((stored('canhgac.lang') as Lang) === 'en' ? 'en' : 'vi');
export const timeZone = signal<string>(stored('canhgac.tz') || 'Asia/Ho_Chi_Minh');

export function setLang(l: Lang): void { lang.set(l); try { localStorage.setItem('canhgac.lang', l); } catch { /* private mode */ } document.documentElement.lang = l; }
export function setTimeZone(tz: string): void { timeZone.set(tz); try { localStorage.setItem('canhgac.tz', tz); } catch { /* private mode */ } }

export function t(key: Key | string): string {
  const dict = (lang.get() === 'en' ? en : vi) as Record<string, string>;
  return dict[key] ?? key;
}

let fmtCache: { key: string; full: Intl.DateTimeFormat; short: Intl.DateTimeFormat } | null = null;
function fmts() {
  const key = `${lang.get()}|${timeZone.get()}`;
  if (!fmtCache || fmtCache.key !== key) {
    const loc = lang.get() === 'en' ? 'en-GB' : 'vi-VN';
    fmtCache = {
      key,
      full: new Intl.DateTimeFormat(loc, { timeZone: timeZone.get(), year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }),
      short: new Intl.DateTimeFormat(loc, { timeZone: timeZone.get(), month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }),
    };
  }
  return fmtCache;
}
export const fmtTime = (iso?: string | null) => (iso ? fmts().full.format(new Date(iso)) : '');
export const fmtShort = (iso?: string | null) => (iso ? fmts().short.format(new Date(iso)) : '');

export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

export function fmtAgo(iso?: string | null): string {
  if (!iso) return '—';
  return fmtDuration(Date.now() - Date.parse(iso));
}

/** Milliseconds the zone is ahead of UTC at that instant. */
function zoneOffsetMs(utcMs: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(utcMs / 1000) * 1000;
}

/** A wall-clock "YYYY-MM-DDTHH:mm" (a datetime-local input) in the chosen zone, as epoch milliseconds. */
export function zonedInputToMs(local: string, tz = timeZone.get()): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return NaN;
  const guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  return guess - zoneOffsetMs(guess - zoneOffsetMs(guess, tz), tz);
}

/** Epoch milliseconds as a datetime-local value in the chosen zone. */
export function msToZonedInput(ms: number, tz = timeZone.get()): string {
  return new Date(ms + zoneOffsetMs(ms, tz)).toISOString().slice(0, 16);
}
